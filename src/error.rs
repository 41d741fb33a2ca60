//! The one error type that crosses the wire between the server and the browser.
//!
//! Internals (SQL, I/O, panics) are logged on the server with the request id and reach the user
//! only as `Internal { reference }`, which they can quote to support.
use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// No valid session: the caller must sign in.
    Unauthorized,
    /// Signed in, but this role may not do that.
    Forbidden,
    /// "{0} was not found."
    NotFound(String),
    /// Bad input; `field` names the form field or JSON path. The message is worded by the
    /// server in the reader's language (`crate::said`).
    Validation { field: String, message: String },
    /// The request clashes with the current state (duplicate, stale version, ...).
    Conflict(String),
    /// Throttled (for example repeated failed sign-ins).
    TooManyRequests(String),
    /// Something failed on the server; the details are in the server log under `reference`.
    Internal { reference: String },
    /// The request never got a proper answer (offline, server down, malformed reply).
    Transport(String),
}

/// What the person reads: the server's words as sent; the others in the reader's language on
/// the server (`crate::said`), in the page's in the browser (`crate::words`).
impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // On the server, in the language of whoever reads the answer (`crate::said`).
        #[cfg(feature = "ssr")]
        let (tr, tr_with) = (crate::said::said, |key: &str, args: &[(&str, String)]| {
            let args: Vec<(&str, &dyn std::fmt::Display)> = args
                .iter()
                .map(|(name, v)| (*name, v as &dyn std::fmt::Display))
                .collect();
            crate::said::said_with(key, &args)
        });
        #[cfg(not(feature = "ssr"))]
        use crate::words::{tr, tr_with};
        let text = match self {
            AppError::Unauthorized => tr("error-unauthorized"),
            AppError::Forbidden => tr("error-forbidden"),
            AppError::NotFound(what) => tr_with("error-not-found", &[("what", what.clone())]),
            AppError::Validation { message, .. } => message.clone(),
            AppError::Conflict(m) | AppError::TooManyRequests(m) => m.clone(),
            AppError::Internal { reference } => {
                tr_with("error-internal", &[("reference", reference.clone())])
            }
            AppError::Transport(why) => tr_with("error-transport", &[("why", why.clone())]),
        };
        f.write_str(&text)
    }
}

impl std::error::Error for AppError {}

impl AppError {
    /// A validation error for one field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        AppError::Validation {
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Unauthorized => 401,
            AppError::Forbidden => 403,
            AppError::NotFound(_) => 404,
            AppError::Validation { .. } => 422,
            AppError::Conflict(_) => 409,
            AppError::TooManyRequests(_) => 429,
            AppError::Internal { .. } => 500,
            AppError::Transport(_) => 502,
        }
    }

    /// The field a validation error names, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Validation { field, .. } => Some(field),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(msg) | ServerFnErrorErr::Deserialization(msg) => {
                // The request could not even be read as the function's arguments: a client
                // error (422), naming the missing or malformed field when serde says which.
                #[cfg(feature = "ssr")]
                if let Some(res) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
                    res.set_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
                }
                argument_error(&msg)
            }
            ServerFnErrorErr::ServerError(msg) => {
                #[cfg(feature = "ssr")]
                {
                    let reference = crate::server::request_id::current();
                    tracing::error!(%reference, error = %msg, "server function error");
                    AppError::Internal { reference }
                }
                #[cfg(not(feature = "ssr"))]
                AppError::Transport(msg)
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

/// A validation error for arguments that failed to deserialise.
fn argument_error(detail: &str) -> AppError {
    let quoted = detail
        .split('`')
        .nth(1)
        .filter(|f| !f.is_empty() && !f.contains(' '));
    match quoted {
        Some(field) if detail.contains("missing field") => AppError::invalid(
            field,
            crate::said::said_with("refuse-arg-required", &[("field", &field)]),
        ),
        Some(field) => AppError::invalid(
            field,
            crate::said::said_with("refuse-arg-invalid", &[("field", &field)]),
        ),
        None => AppError::invalid("request", crate::said::said("refuse-arg-unreadable")),
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::RowNotFound = err {
            return AppError::NotFound(crate::said::said("refuse-what-that-record"));
        }
        let reference = crate::server::request_id::current();
        tracing::error!(%reference, error = %err, "database error");
        AppError::Internal { reference }
    }
}

#[cfg(feature = "ssr")]
impl AppError {
    /// Logs an unexpected internal failure and returns the error the user sees.
    pub fn internal(context: &str, err: impl std::fmt::Display) -> Self {
        let reference = crate::server::request_id::current();
        tracing::error!(%reference, error = %err, "{context}");
        AppError::Internal { reference }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_names_its_field_and_maps_to_422() {
        let e = AppError::invalid("email", "Enter an email address like name@example.com.");
        assert_eq!(e.field(), Some("email"));
        assert_eq!(e.status_code(), 422);
        assert_eq!(
            e.to_string(),
            "Enter an email address like name@example.com."
        );
    }

    #[test]
    fn internal_errors_show_a_reference_not_details() {
        let e = AppError::Internal {
            reference: "r-42".into(),
        };
        let shown = e.to_string();
        assert!(shown.contains("r-42"));
        assert!(!shown.to_lowercase().contains("sql"));
    }

    #[test]
    fn unreadable_arguments_name_the_field() {
        assert_eq!(argument_error("missing field `name`").field(), Some("name"));
        assert_eq!(
            argument_error("invalid digit found in string").field(),
            Some("request")
        );
    }

    #[test]
    fn errors_round_trip_through_json() {
        let e = AppError::Conflict("Changed by Ana — refreshed".into());
        let json = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), e);
    }
}
