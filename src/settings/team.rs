//! The team table and the add-person form.
use leptos::prelude::*;

use crate::app::Auth;
use crate::auth::api::{list_users, AddUser, ResetUserPassword, SetUserActive, SetUserRole};
use crate::auth::model::TeamMember;
use crate::auth::two_factor::ResetUserTwoFactor;
use crate::auth::Role;
use crate::ui::{ErrorNotice, Loading};

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
            <h2>"Team"</h2>
            {move || change_error().map(|error| view! { <ErrorNotice error/> })}
            {move || matches!(reset_password.value().get(), Some(Ok(()))).then(|| view! {
                <p class="form-ok" role="status">"Password changed; their sessions have ended."</p>
            })}
            <Transition fallback=|| view! { <Loading label="Loading the team"/> }>
                {move || Suspend::new(async move {
                    let my_id = me.await.ok().flatten().map(|m| m.id);
                    match users.await {
                        Ok(list) => view! {
                            <div class="table-scroll" tabindex="0">
                                <table class="table team">
                                    <thead><tr><th>"Person"</th><th>"Role"</th><th>"Access"</th><th>"Sign-in"</th></tr></thead>
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
            <h2>"Add a person"</h2>
            <ActionForm action=add attr:class="form form-grid">
                <label class="field"><span>"Name"</span><input name="name" required=true autocomplete="off"/></label>
                <label class="field"><span>"Email"</span><input name="email" type="email" required=true autocomplete="off"/></label>
                <label class="field">
                    <span>"Role"</span>
                    <select name="role" aria-label="New person's role">
                        <option value="staff">"Staff — orders and baking"</option>
                        <option value="driver">"Driver — delivery runs"</option>
                        <option value="owner">"Owner — everything"</option>
                    </select>
                </label>
                <label class="field"><span>"First password"</span><input name="password" type="password" required=true minlength="10" autocomplete="new-password"/></label>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" disabled=move || add.pending().get()>"Add person"</button>
                </div>
            </ActionForm>
            {move || add_error().map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
            {move || added().map(|m| view! { <p class="form-ok" role="status">{format!("{} can now sign in as {}.", m.name, m.role.label().to_lowercase())}</p> })}
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
    let password_label = format!("New password for {}", member.name);
    let id = member.id.to_string();
    let id_for_role = id.clone();
    let options = Role::ALL
        .into_iter()
        .map(|r| view! { <option value=r.as_str() selected=r == member.role>{r.label()}</option> })
        .collect_view();
    view! {
        <tr class:row-disabled=!member.active>
            <td>
                <strong>{member.name.clone()}</strong>
                {is_me.then(|| view! { <span class="pill">"You"</span> })}
                <div class="muted small">{member.email.clone()}</div>
            </td>
            <td>
                <ActionForm action=set_role attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id_for_role/>
                    <select name="role" disabled=is_me aria-label=format!("Role of {}", member.name)>{options}</select>
                    <button type="submit" class="btn btn-small" disabled=is_me>"Save"</button>
                </ActionForm>
            </td>
            <td>
                <ActionForm action=set_active attr:class="inline-form">
                    <input type="hidden" name="user_id" value=id/>
                    <input type="hidden" name="active" value=(!member.active).to_string()/>
                    <span class=if member.active { "pill pill-paid" } else { "pill pill-warn" }>
                        {if member.active { "Active" } else { "Disabled" }}
                    </span>
                    <button type="submit" class="btn btn-small" disabled=is_me>
                        {if member.active { "Disable" } else { "Enable" }}
                    </button>
                </ActionForm>
            </td>
            <td>
                <span class=if member.two_factor { "pill pill-paid" } else { "pill" }>
                    {if member.two_factor { "Two-factor on" } else { "Password only" }}
                </span>
                {(member.two_factor && !owner).then(|| view! {
                    <button type="button" class="btn btn-small btn-ghost"
                        title="For someone who lost their phone: they set it up again"
                        on:click=move |_| { reset_2fa.dispatch(ResetUserTwoFactor { user_id: id_for_sign_in }); }>
                        "Turn off two-factor"
                    </button>
                })}
                {(!owner).then(|| view! {
                    <ActionForm action=reset_password attr:class="inline-form">
                        <input type="hidden" name="user_id" value=id_for_sign_in.to_string()/>
                        <input type="password" class="grow" name="password" autocomplete="new-password" minlength="10"
                            placeholder="New password" aria-label=password_label/>
                        <button type="submit" class="btn btn-small">"Set password"</button>
                    </ActionForm>
                })}
            </td>
        </tr>
    }
}
