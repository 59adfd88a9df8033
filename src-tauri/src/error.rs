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

pub type CommandResult<T> = Result<T, CommandError>;
