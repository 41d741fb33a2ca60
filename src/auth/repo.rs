//! Queries on `users` (the sign-in throttle owns `login_attempts`).
use sqlx::SqlitePool;

use super::model::{Role, TeamMember};
use crate::error::AppError;

/// A user row with what sign-in and session checks need.
#[derive(Debug, Clone)]
pub struct UserAuth {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub active: bool,
    pub session_epoch: i64,
    /// Their own language for Hearth's pages; None: the business's.
    pub language: Option<String>,
}

fn role_of(raw: &str) -> Result<Role, AppError> {
    Role::parse(raw, "role").map_err(|_| AppError::internal("users.role", raw))
}

pub async fn find_by_email(pool: &SqlitePool, email: &str) -> Result<Option<UserAuth>, AppError> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", email, name, role, password_hash, active AS "active: bool", session_epoch, language
           FROM users WHERE email = ?"#,
        email
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(UserAuth {
            id: r.id,
            email: r.email,
            name: r.name,
            role: role_of(&r.role)?,
            password_hash: r.password_hash,
            active: r.active,
            session_epoch: r.session_epoch,
            language: r.language,
        })
    })
    .transpose()
}

pub async fn find_by_id(pool: &SqlitePool, id: i64) -> Result<Option<UserAuth>, AppError> {
    let row = sqlx::query!(
        r#"SELECT id AS "id!", email, name, role, password_hash, active AS "active: bool", session_epoch, language
           FROM users WHERE id = ?"#,
        id
    )
    .fetch_optional(pool)
    .await?;
    row.map(|r| {
        Ok(UserAuth {
            id: r.id,
            email: r.email,
            name: r.name,
            role: role_of(&r.role)?,
            password_hash: r.password_hash,
            active: r.active,
            session_epoch: r.session_epoch,
            language: r.language,
        })
    })
    .transpose()
}

/// Everyone on the team, owners first, then by name.
pub async fn list(pool: &SqlitePool) -> Result<Vec<TeamMember>, AppError> {
    let rows = sqlx::query!(
        r#"SELECT id AS "id!", email, name, role, active AS "active: bool",
                  totp_secret IS NOT NULL AS "two_factor!: bool" FROM users
           ORDER BY CASE role WHEN 'owner' THEN 0 WHEN 'staff' THEN 1 ELSE 2 END, name"#
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(TeamMember {
                id: r.id,
                name: r.name,
                email: r.email,
                role: role_of(&r.role)?,
                active: r.active,
                two_factor: r.two_factor,
            })
        })
        .collect()
}

/// Adds a user; a taken email is a `Conflict` naming it.
pub async fn insert(
    pool: &SqlitePool,
    email: &str,
    name: &str,
    role: Role,
    password_hash: &str,
) -> Result<i64, AppError> {
    let role = role.as_str();
    let res = sqlx::query!(
        "INSERT INTO users (email, name, role, password_hash) VALUES (?, ?, ?, ?)",
        email,
        name,
        role,
        password_hash
    )
    .execute(pool)
    .await;
    match res {
        Ok(done) => Ok(done.last_insert_rowid()),
        // users has one unique key (email), so a unique violation can only mean that.
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => Err(AppError::Validation {
            field: "email".into(),
            message: format!("Email: {email} already has an account."),
        }),
        Err(e) => Err(e.into()),
    }
}

/// Adds the first owner of an empty Hearth, in one write transaction so that two people
/// setting it up at once get one owner; once any account exists it is a `Conflict`.
pub async fn insert_first_owner(
    pool: &SqlitePool,
    email: &str,
    name: &str,
    password_hash: &str,
) -> Result<i64, AppError> {
    let mut tx = crate::server::db::begin_write(pool).await?;
    let n = sqlx::query_scalar!(r#"SELECT COUNT(*) AS "n!: i64" FROM users"#)
        .fetch_one(&mut *tx)
        .await?;
    if n > 0 {
        return Err(AppError::Conflict(crate::said::said("refuse-has-owner")));
    }
    let role = Role::Owner.as_str();
    let id = sqlx::query!(
        "INSERT INTO users (email, name, role, password_hash) VALUES (?, ?, ?, ?)",
        email,
        name,
        role,
        password_hash
    )
    .execute(&mut *tx)
    .await?
    .last_insert_rowid();
    tx.commit().await?;
    Ok(id)
}

/// Changes a role and ends that user's sessions (their rights changed).
pub async fn set_role(pool: &SqlitePool, id: i64, role: Role) -> Result<(), AppError> {
    let role = role.as_str();
    let now = crate::server::db::now();
    let done = sqlx::query!(
        "UPDATE users SET role = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE id = ?",
        role,
        now,
        id
    )
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound(crate::said::said(
            "refuse-what-that-user",
        )));
    }
    Ok(())
}

/// Enables or disables a user; either way their current sessions end.
pub async fn set_active(pool: &SqlitePool, id: i64, active: bool) -> Result<(), AppError> {
    let now = crate::server::db::now();
    let done = sqlx::query!(
        "UPDATE users SET active = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE id = ?",
        active,
        now,
        id
    )
    .execute(pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound(crate::said::said(
            "refuse-what-that-user",
        )));
    }
    Ok(())
}

/// Sets a new password hash and ends the user's sessions.
pub async fn set_password(pool: &SqlitePool, id: i64, password_hash: &str) -> Result<(), AppError> {
    let now = crate::server::db::now();
    sqlx::query!(
        "UPDATE users SET password_hash = ?, session_epoch = session_epoch + 1, updated_at = ? WHERE id = ?",
        password_hash,
        now,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Sets (or, with None, clears) a person's own language; their sessions go on.
pub async fn set_language(
    pool: &SqlitePool,
    id: i64,
    language: Option<&str>,
) -> Result<(), AppError> {
    let now = crate::server::db::now();
    sqlx::query!(
        "UPDATE users SET language = ?, updated_at = ? WHERE id = ?",
        language,
        now,
        id
    )
    .execute(pool)
    .await?;
    Ok(())
}

/// Active users with their hashes, for the production demo-password check.
pub async fn active_hashes(pool: &SqlitePool) -> Result<Vec<(String, String)>, AppError> {
    let rows = sqlx::query!("SELECT email, password_hash FROM users WHERE active = 1")
        .fetch_all(pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.email, r.password_hash))
        .collect())
}

pub async fn count(pool: &SqlitePool) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar!("SELECT COUNT(*) FROM users")
        .fetch_one(pool)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[sqlx::test(migrations = "./migrations")]
    async fn a_taken_email_is_refused_whatever_its_case(pool: SqlitePool) {
        insert(&pool, "ana@example.com", "Ana", Role::Staff, "h")
            .await
            .unwrap();
        let err = insert(&pool, "ANA@example.com", "Ana 2", Role::Driver, "h")
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("email"));
        assert_eq!(count(&pool).await.unwrap(), 1);
    }

    #[sqlx::test(migrations = "./migrations")]
    async fn role_and_access_changes_bump_the_session_epoch(pool: SqlitePool) {
        let id = insert(&pool, "ana@example.com", "Ana", Role::Staff, "h")
            .await
            .unwrap();
        let epoch =
            |p: SqlitePool| async move { find_by_id(&p, id).await.unwrap().unwrap().session_epoch };
        assert_eq!(epoch(pool.clone()).await, 0);
        set_role(&pool, id, Role::Driver).await.unwrap();
        assert_eq!(epoch(pool.clone()).await, 1);
        set_active(&pool, id, false).await.unwrap();
        let user = find_by_id(&pool, id).await.unwrap().unwrap();
        assert_eq!(
            (user.session_epoch, user.active, user.role),
            (2, false, Role::Driver)
        );
        assert!(matches!(
            set_role(&pool, 999, Role::Owner).await,
            Err(AppError::NotFound(_))
        ));
    }
}
