//! How a failed use case reaches the window and the command line: [`Failure`], the `{code, message}` of
//! any domain error, and [`DeskError`], the application core's own typed errors (nothing pending to
//! confirm, no ADC set, the local database not open, a worker that died, a window that cannot open).

use catalog_error::{ToUserMessage, UserMessage};

/// A failed use case in the person's words: `{code, message: {th, en}}` on the wire.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Failure(pub UserMessage);

impl<E: ToUserMessage> From<E> for Failure {
    fn from(err: E) -> Self {
        let message = err.to_user_message();
        tracing::warn!(code = %message.code, "use case failed");
        Failure(message)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

pub type DeskResult<T> = Result<T, Failure>;

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    #[error("no ADC is set")]
    NoAdc,
    #[error("no import dry run is waiting for confirmation")]
    NoImportPlan,
    #[error("no review package is waiting for confirmation")]
    NoPackage,
    #[error("the local database is not open")]
    StoreNotOpen,
    #[error("internal error: {0}")]
    Internal(String),
    #[error("no web view runtime: {0}")]
    WebViewMissing(String),
    #[error("the window could not open: {0}")]
    WindowFailed(String),
}

impl DeskError {
    /// A failure of the application itself (a worker thread that died, a value that would not
    /// serialise): the detail goes to the log, the person is asked to try again.
    pub fn internal(detail: &dyn std::fmt::Display) -> DeskError {
        tracing::error!(%detail, "internal error");
        DeskError::Internal(detail.to_string())
    }
}

impl ToUserMessage for DeskError {
    fn to_user_message(&self) -> UserMessage {
        match self {
            DeskError::NoAdc => UserMessage::new(
                "account.no_adc",
                "ยังไม่ได้ระบุระบบบัญชีข้อมูลหน่วยงาน (ADC) โปรดใส่ที่อยู่ ADC แล้วดึงแบบฟอร์มก่อน",
                "No agency data catalog (ADC) is set yet: enter its address and fetch its form first.",
            ),
            DeskError::NoImportPlan => UserMessage::new(
                "import.no_plan",
                "ไม่มีผลการตรวจไฟล์ที่รอยืนยัน โปรดเลือกไฟล์แบบฟอร์มอีกครั้ง",
                "There is no checked file waiting for confirmation; please choose the template file again.",
            ),
            DeskError::NoPackage => UserMessage::new(
                "package.none_pending",
                "ไม่มีแพ็กเกจที่รอยืนยัน โปรดเลือกไฟล์แพ็กเกจอีกครั้ง",
                "There is no package waiting for confirmation; please choose the package file again.",
            ),
            DeskError::StoreNotOpen => UserMessage::new(
                "store.not_open",
                "ฐานข้อมูลภายในเครื่องยังไม่พร้อมใช้งาน",
                "The local database is not available.",
            ),
            DeskError::Internal(_) => UserMessage::new(
                "app.internal",
                "เกิดข้อผิดพลาดภายในโปรแกรม โปรดลองอีกครั้ง หากยังเกิดซ้ำโปรดแจ้งผู้ดูแลพร้อมไฟล์บันทึก (logs)",
                "Something went wrong inside the app. Please try again; if it happens again, send the log files to your administrator.",
            ),
            DeskError::WebViewMissing(_) => UserMessage::new(
                "app.webview_missing",
                "เครื่องนี้ยังไม่มี Microsoft Edge WebView2 Runtime ซึ่ง Catalog Desk ใช้แสดงหน้าต่าง โปรดให้ผู้ดูแลระบบติดตั้ง \"WebView2 Evergreen Standalone Installer (x64)\" จากเว็บไซต์ของ Microsoft (ดาวน์โหลดจากเครื่องอื่นแล้วนำมาติดตั้งได้โดยไม่ต้องต่ออินเทอร์เน็ต) แล้วเปิดโปรแกรมอีกครั้ง ข้อมูลของคุณไม่ได้รับผลกระทบ",
                "This PC does not have the Microsoft Edge WebView2 Runtime, which Catalog Desk needs to show its window. Ask your administrator to install the \"WebView2 Evergreen Standalone Installer (x64)\" from Microsoft's website (it can be downloaded on another computer and installed offline), then open the app again. Your data is not affected.",
            ),
            DeskError::WindowFailed(_) => UserMessage::new(
                "app.window_failed",
                "เปิดหน้าต่างของ Catalog Desk ไม่ได้ ข้อมูลของคุณไม่ได้รับผลกระทบ โปรดลองอีกครั้ง หากยังเกิดซ้ำโปรดแจ้งผู้ดูแลพร้อมไฟล์บันทึก (logs)",
                "Catalog Desk's window could not open. Your data is not affected. Please try again; if it happens again, send the log files to your administrator.",
            ),
        }
    }
}
