//! The team table and the add-person form.
use leptos::prelude::*;

use crate::auth::api::{list_users, AddUser, ResetUserPassword, SetUserActive, SetUserRole};
use crate::auth::model::TeamMember;
use crate::auth::two_factor::ResetUserTwoFactor;
use crate::auth::Auth;
use crate::auth::Role;
use crate::ui::{ErrorNotice, Loading};
use crate::words::{tr, tr_with};

/// Team list with role and access controls, and a form to add someone.
#[component]
pub fn TeamSection() -> impl IntoView {
    let add = ServerAction::<AddUser>::new();
    let set_role = ServerAction::<SetUserRole>::new();
    let set_active = ServerAction::<SetUserActive>::new();
    let reset_password = ServerAction::<ResetUserPassword>::new();
    let reset_2fa = ServerAction::<ResetUserTwoFactor>::new();
    let users = Resource::new(
        move || {
            (
                add.version().get(),
                set_role.version().get(),
                set_active.version().get(),
                reset_2fa.version().get(),
            )
        },
        |_| list_users(),
    );
    let me = expect_context::<Auth>().me;
    let add_error = move || add.value().get().and_then(|r| r.err());
    let change_error = move || {
        set_role
            .value()
            .get()
            .and_then(|r| r.err())
            .or_else(|| set_active.value().get().and_then(|r| r.err()))
            .or_else(|| reset_password.value().get().and_then(|r| r.err()))
            .or_else(|| reset_2fa.value().get().and_then(|r| r.err()))
    };
    let added = move || add.value().get().and_then(|r| r.ok());
    view! {
        <section class="card">
            <h2>{tr("audit-kind-team")}</h2>
            {move || change_error().map(|error| view! { <ErrorNotice error/> })}
            {move || matches!(reset_password.value().get(), Some(Ok(()))).then(|| view! {
                <p class="form-ok" role="status">{tr("team-password-changed")}</p>
            })}
            <Transition fallback=|| view! { <Loading label=tr("team-loading")/> }>
                {move || Suspend::new(async move {
                    let my_id = me.await.ok().flatten().map(|m| m.id);
                    match users.await {
                        Ok(list) => view! {
                            <div class="table-scroll" tabindex="0">
                                <table class="table team">
                                    <thead><tr><th>{tr("team-person")}</th><th>{tr("team-role")}</th><th>{tr("team-access")}</th><th>{tr("team-sign-in")}</th></tr></thead>
                                    <tbody>
                                        <For each=move || list.clone() key=|u| (u.id, u.active, u.role.as_str()) let(member)>
                                            <MemberRow is_me=Some(member.id) == my_id member set_role set_active reset_password reset_2fa/>
                                        </For>
                                    </tbody>
                                </table>
                            </div>
                        }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
        <section class="card">
            <h2>{tr("team-add-title")}</h2>
            <ActionForm action=add attr:class="form form-grid">
                <label class="field"><span>{tr("stock-name")}</span><input name="name" required=true autocomplete="off"/></label>
                <label class="field"><span>{tr("login-email")}</span><input name="email" type="email" required=true autocomplete="off"/></label>
                <label class="field">
                    <span>{tr("team-role")}</span>
                    <select name="role" aria-label=tr("team-new-role")>
                        <option value="staff">{tr("team-role-staff")}</option>
                        <option value="driver">{tr("team-role-driver")}</option>
                        <option value="owner">{tr("team-role-owner")}</option>
                    </select>
                </label>
                <label class="field"><span>{tr("team-first-password")}</span><input name="password" type="password" required=true minlength="10" autocomplete="new-password"/></label>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || add.pending().get()>{tr("team-add")}</button>
                </div>
            </ActionForm>
            {move || add_error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            {move || added().map(|m| view! { <p class="form-ok" role="status">{tr_with("team-added", &[("name", m.name.clone()), ("role", tr(&format!("role-{}", m.role.as_str())).to_lowercase())])}</p> })}
        </section>
    }
}

/// One person: role selector and enable/disable, both plain forms.
#[component]
fn MemberRow(
    /// The person.
    member: TeamMember,
    /// Whether this row is the signed-in owner (who can't demote or disable themselves).
    is_me: bool,
    /// Role change action.
    set_role: ServerAction<SetUserRole>,
    /// Access change action.
    set_active: ServerAction<SetUserActive>,
    reset_password: ServerAction<ResetUserPassword>,
    reset_2fa: ServerAction<ResetUserTwoFactor>,
) -> impl IntoView {
    let owner = member.role == Role::Owner;
    let id_for_sign_in = member.id;
    let password_label = tr_with("team-new-password-for", &[("name", member.name.clone())]);
    let id = member.id.to_string();
    let id_for_role = id.clone();
    let options = Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == member.role>{tr(&format!("role-{}", r.as_str()))}</option> })
        .collect_view();
    view! {
        <tr class:row-disabled=!member.active>
            <td>
                <strong>{member.name.clone()}</strong>
                {is_me.then(|| view! { <span class="pill">{tr("team-you")}</span> })}
                <div class="muted small">{member.email.clone()}</div>
            </td>
            <td>
                <ActionForm action=set_role attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id_for_role/>
                    <select name="role" disabled=is_me aria-label=tr_with("team-role-of", &[("name", member.name.clone())])>{options}</select>
                    <button type="submit" class="btn btn-small" disabled=is_me>{tr("save")}</button>
                </ActionForm>
            </td>
            <td>
                <ActionForm action=set_active attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id/>
                    <input type="hidden" name="active" value=(!member.active).to_string()/>
                    <span class=if member.active { "pill pill-paid" } else { "pill pill-warn" }>
                        {if member.active { tr("team-active") } else { tr("team-disabled") }}
                    </span>
                    <button type="submit" class="btn btn-small" disabled=is_me>
                        {if member.active { tr("team-disable") } else { tr("team-enable") }}
                    </button>
                </ActionForm>
            </td>
            <td>
                <span class=if member.two_factor { "pill pill-paid" } else { "pill" }>
                    {if member.two_factor { tr("team-two-factor-on") } else { tr("team-password-only") }}
                </span>
                {(member.two_factor && !owner).then(|| view! {
                    <button type="button" class="btn btn-small btn-ghost"
                        title=tr("team-two-factor-off-hint")
                        on:click=move |_| { reset_2fa.dispatch(ResetUserTwoFactor { user_id: id_for_sign_in }); }>
                        {tr("team-two-factor-off")}
                    </button>
                })}
                {(!owner).then(|| view! {
                    <ActionForm action=reset_password attr:class="inline-form">
                        <input type="hidden" name="user_id" value=id_for_sign_in.to_string()/>
                        <input type="password" class="grow" name="password" autocomplete="new-password" minlength="10"
                            placeholder=tr("team-new-password") aria-label=password_label/>
                        <button type="submit" class="btn btn-small">{tr("team-set-password")}</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
