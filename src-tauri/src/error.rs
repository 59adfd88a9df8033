//! How a failed command reaches the UI: the domain error's `{code, message: {th, en}}`.

use catalog_error::{ToUserMessage, UserMessage};

/// The error type of every command.
#[derive(Debug, serde::Serialize)]
#[serde(transparent)]
pub struct CommandError(pub UserMessage);

impl<E: ToUserMessage> From<E> for CommandError {
    fn from(err: E) -> Self {
        let message = err.to_user_message();
        tracing::warn!(code = %message.code, "command failed");
        CommandError(message)
    }
}

impl CommandError {
    /// A failure of the shell itself (a worker thread that died, a value that would not serialise):
    /// not the person's doing, so the message says to try again and the detail goes to the log.
    pub fn internal(detail: &dyn std::fmt::Display) -> CommandError {
        tracing::error!(%detail, "internal error");
        CommandError(UserMessage::new(
            "app.internal",
            "เกิดข้อผิดพลาดภายในโปรแกรม โปรดลองอีกครั้ง หากยังเกิดซ้ำโปรดแจ้งผู้ดูแลพร้อมไฟล์บันทึก (logs)",
            "Something went wrong inside the app. Please try again; if it happens again, send the log files to your administrator.",
        ))
    }
}

pub type CommandResult<T> = Result<T, CommandError>;
