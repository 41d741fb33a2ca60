//! Roles and users as the client sees them, with the validation shared by forms and server.
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What a signed-in person may do. Checked inside every server function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Owner,
    Staff,
    Driver,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Owner, Role::Staff, Role::Driver];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Staff => "staff",
            Role::Driver => "driver",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Staff => "Staff",
            Role::Driver => "Driver",
        }
    }

    /// Parses "owner" | "staff" | "driver"; the error names `field`.
    pub fn parse(raw: &str, field: &str) -> Result<Role, AppError> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "owner" => Ok(Role::Owner),
            "staff" => Ok(Role::Staff),
            "driver" => Ok(Role::Driver),
            _ => Err(AppError::invalid(field, crate::said::said("refuse-role"))),
        }
    }

    /// Where this role lands after signing in.
    pub fn landing(self) -> &'static str {
        match self {
            Role::Owner => "/",
            Role::Staff => "/orders",
            Role::Driver => "/driver",
        }
    }
}

/// The signed-in person, plus the business details every page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub business_name: String,
    pub currency: String,
    /// The bakery's logo (`/media/logo?v=…`), when it has one.
    #[serde(default)]
    pub logo: Option<String>,
    /// The owner of a production Hearth must set up two-factor sign-in before anything else.
    #[serde(default)]
    pub must_enrol: bool,
    /// The words of their language (their own choice, else the business's), for every page.
    #[serde(default)]
    pub words: crate::words::Words,
}

/// One row of the owner's team list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TeamMember {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: Role,
    pub active: bool,
    /// Two-factor sign-in is on.
    #[serde(default)]
    pub two_factor: bool,
}

/// Where to go after sign-in: `next` only when it is a path on this site. Browsers read
/// `//host`, `/\\host`, `/\t/host` (tabs and newlines are dropped) and `\\host` as other
/// origins, so a backslash, a second leading slash, or any control or space character refuses it.
pub fn safe_next(next: &str) -> Option<&str> {
    let rest = next.strip_prefix('/')?;
    let login = next == "/login" || next.starts_with("/login?") || next.starts_with("/login/");
    let foreign = next.len() > 2048
        || rest.starts_with('/')
        || next.contains('\\')
        || next.chars().any(|c| c.is_control() || c.is_whitespace());
    let local = !login && !foreign;
    local.then_some(next)
}

/// A valid, normalised (trimmed, lower-case) email address.
pub fn validate_email(raw: &str) -> Result<String, AppError> {
    let email = raw.trim().to_ascii_lowercase();
    let ok = email.len() <= 254
        && !email.contains(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if ok {
        Ok(email)
    } else {
        Err(AppError::invalid(
            "email",
            crate::said::said("refuse-email-address"),
        ))
    }
}

/// A display name: 1–80 characters after trimming.
pub fn validate_name(raw: &str) -> Result<String, AppError> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::invalid(
            "name",
            crate::said::said("refuse-person-name"),
        ));
    }
    if name.chars().count() > 80 {
        return Err(AppError::invalid(
            "name",
            crate::said::said("refuse-person-name-long"),
        ));
    }
    Ok(name.to_string())
}

/// Minimum password rules for new passwords (sign-in accepts whatever is stored).
pub fn validate_new_password(raw: &str) -> Result<(), AppError> {
    let n = raw.chars().count();
    if n < 10 {
        return Err(AppError::invalid(
            "password",
            crate::said::said("refuse-password-short"),
        ));
    }
    if n > 200 {
        return Err(AppError::invalid(
            "password",
            crate::said::said("refuse-password-long"),
        ));
    }
    Ok(())
}

/// Who may open the owner's pages, the kitchen's and the driver's.
pub const OWNER: &[Role] = &[Role::Owner];
pub const KITCHEN: &[Role] = &[Role::Owner, Role::Staff];
pub const DRIVING: &[Role] = &[Role::Owner, Role::Driver];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_same_origin_paths_pass_as_next() {
        for ok in [
            "/orders",
            "/orders?day=2026-12-02",
            "/runs/2026-12-02#top",
            "/%2F%2Fx",
        ] {
            assert_eq!(safe_next(ok), Some(ok), "{ok}");
        }
        for bad in [
            "",
            "orders",
            "//evil.example",
            "/\\evil.example",
            "\\evil.example",
            "/\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/ /evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            "/login",
            "/login?next=/x",
            "/orders\\..\\..",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            validate_email("  Ana@Example.COM ").unwrap(),
            "ana@example.com"
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@x.com",
            "ana@localhost",
            "a b@x.com",
            "ana@x.",
        ] {
            let err = validate_email(bad).unwrap_err();
            assert_eq!(err.field(), Some("email"), "{bad:?} should be refused");
        }
    }

    #[test]
    fn roles_parse_and_land_where_they_work() {
        assert_eq!(Role::parse(" Staff ", "role").unwrap(), Role::Staff);
        assert_eq!(
            Role::parse("admin", "role").unwrap_err().field(),
            Some("role")
        );
        assert_eq!(Role::Driver.landing(), "/driver");
        assert_eq!(Role::Staff.landing(), "/orders");
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str(), "role").unwrap(), role);
        }
    }

    #[test]
    fn names_and_passwords_have_limits() {
        assert!(validate_name("   ").is_err());
        assert_eq!(validate_name(" Lucía ").unwrap(), "Lucía");
        assert!(validate_name(&"x".repeat(81)).is_err());
        assert_eq!(
            validate_new_password("short").unwrap_err().field(),
            Some("password")
        );
        assert!(validate_new_password("long enough pass").is_ok());
    }
}
