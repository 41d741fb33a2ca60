//! Opening hours and booking rules: pickup hours per weekday (with a break), how many days
//! ahead customers may book, the order cut-off, and closed dates. The storefront's calendar,
//! quote and order obey them (`orders::core::calendar`).
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::field::clock;
use crate::orders::core::calendar::{BookingRules, Hours};
use crate::ui::{ErrorNotice, Loading};
use crate::words::{tr, tr_with};

/// One weekday's row of the form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DayForm {
    pub open: bool,
    pub opens: String,
    pub closes: String,
    pub break_from: String,
    pub break_to: String,
}

/// The whole form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HoursForm {
    pub horizon_days: String,
    /// `HH:MM`, or empty for same-day orders.
    pub cutoff: String,
    /// Monday first; seven rows.
    pub days: Vec<DayForm>,
}

/// A form that passed every check.
#[derive(Clone, Debug, PartialEq)]
pub struct ValidHours {
    pub horizon: i64,
    pub cutoff: Option<String>,
    /// Monday first; None: no pickups.
    pub hours: [Option<Hours>; 7],
}

impl HoursForm {
    /// The rules the form describes (closed dates aside); the first bad field is named.
    pub fn validate(&self) -> Result<ValidHours, AppError> {
        let horizon = self
            .horizon_days
            .trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=90).contains(n))
            .ok_or_else(|| {
                AppError::invalid("horizon_days", crate::said::said("refuse-horizon-days"))
            })?;
        let cutoff = match self.cutoff.trim() {
            "" => None,
            t => Some(clock(
                t,
                "cutoff",
                &crate::said::said("refuse-label-cutoff"),
            )?),
        };
        if self.days.len() != 7 {
            return Err(AppError::invalid(
                "days",
                crate::said::said("refuse-seven-days"),
            ));
        }
        let mut hours: [Option<Hours>; 7] = Default::default();
        for (i, d) in self.days.iter().enumerate() {
            if !d.open {
                continue;
            }
            hours[i] = Some(day_hours(i, d)?);
        }
        Ok(ValidHours {
            horizon,
            cutoff,
            hours,
        })
    }

    /// The form filled with the rules in force.
    pub fn of(r: &BookingRules) -> HoursForm {
        HoursForm {
            horizon_days: r.horizon_days.to_string(),
            cutoff: r.cutoff.clone().unwrap_or_default(),
            days: r
                .pickup
                .iter()
                .map(|h| match h {
                    Some(h) => DayForm {
                        open: true,
                        opens: h.opens.clone(),
                        closes: h.closes.clone(),
                        break_from: h.break_from.clone().unwrap_or_default(),
                        break_to: h.break_to.clone().unwrap_or_default(),
                    },
                    None => DayForm {
                        open: false,
                        opens: "08:00".into(),
                        closes: "14:00".into(),
                        ..DayForm::default()
                    },
                })
                .collect(),
        }
    }
}

/// One open day's hours (`days[i]`): opens before it closes, a break (both ends or neither)
/// inside them.
fn day_hours(i: usize, d: &DayForm) -> Result<Hours, AppError> {
    let day = crate::said::weekday_number(i);
    let at = |key: &str| crate::said::said_with(key, &[("day", &day)]);
    let f = |what: &str| format!("days[{i}].{what}");
    let opens = clock(&d.opens, &f("opens"), &at("refuse-label-opens"))?;
    let closes = clock(&d.closes, &f("closes"), &at("refuse-label-closes"))?;
    if closes <= opens {
        return Err(AppError::invalid(
            &f("closes"),
            crate::said::said_with("refuse-closes-after", &[("day", &day), ("opens", &opens)]),
        ));
    }
    let (bf, bt) = (d.break_from.trim(), d.break_to.trim());
    let brk = match (bf.is_empty(), bt.is_empty()) {
        (true, true) => None,
        (false, true) => return Err(AppError::invalid(&f("break_to"), at("refuse-break-end"))),
        (true, false) => {
            return Err(AppError::invalid(
                &f("break_from"),
                at("refuse-break-start"),
            ))
        }
        (false, false) => {
            let a = clock(bf, &f("break_from"), &at("refuse-label-break-starts"))?;
            let b = clock(bt, &f("break_to"), &at("refuse-label-break-ends"))?;
            if !(opens < a && a < b && b < closes) {
                return Err(AppError::invalid(
                    &f("break_from"),
                    crate::said::said_with(
                        "refuse-break-within",
                        &[("day", &day), ("opens", &opens), ("closes", &closes)],
                    ),
                ));
            }
            Some((a, b))
        }
    };
    let (break_from, break_to) = brk.unzip();
    Ok(Hours {
        opens,
        closes,
        break_from,
        break_to,
    })
}

/// The one writer of the booking rules and pickup hours.
#[cfg(feature = "ssr")]
pub async fn save_in(conn: &mut sqlx::SqliteConnection, form: &HoursForm) -> Result<(), AppError> {
    let ValidHours {
        horizon,
        cutoff,
        hours,
    } = form.validate()?;
    sqlx::query!(
        "UPDATE business_settings SET booking_horizon_days = ?, order_cutoff = ?,
                updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = 1",
        horizon,
        cutoff
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query!("DELETE FROM pickup_hours")
        .execute(&mut *conn)
        .await?;
    for (i, h) in hours.iter().enumerate() {
        let Some(h) = h else { continue };
        let day = i as i64;
        sqlx::query!(
            "INSERT INTO pickup_hours (weekday, opens, closes, break_from, break_to) VALUES (?, ?, ?, ?, ?)",
            day,
            h.opens,
            h.closes,
            h.break_from,
            h.break_to
        )
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// No pickup hours and no closed dates (`hearth demo --reset`).
#[cfg(feature = "ssr")]
pub async fn clear_in(conn: &mut sqlx::SqliteConnection) -> Result<(), AppError> {
    sqlx::query!("DELETE FROM pickup_hours")
        .execute(&mut *conn)
        .await?;
    sqlx::query!("DELETE FROM closed_dates")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// The rules in force, for the form.
#[server(endpoint = "get_booking_rules")]
pub async fn get_booking_rules() -> Result<BookingRules, AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, _me| async move {
        let mut conn = cx.db().acquire().await?;
        BookingRules::load(&mut conn).await
    })
    .await
}

/// Saves the hours and booking rules; any bad field is named and nothing changes.
#[server(endpoint = "save_booking_rules")]
pub async fn save_booking_rules(form: HoursForm) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        let before = BookingRules::load(&mut tx).await?;
        save_in(&mut tx, &form).await?;
        let after = BookingRules::load(&mut tx).await?;
        let who = crate::audit::Who::user(me.id, &me.name);
        crate::audit::record(
            &mut *tx,
            &who,
            "settings.hours",
            "Opening hours and booking",
            crate::audit::change(&before, &after),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// Closes the bakery on `day` (orders already on it stay; the owner moves or cancels them),
/// or opens it again with `open`.
#[server(endpoint = "set_closed_date")]
pub async fn set_closed_date(
    day: String,
    #[server(default)] note: String,
    #[server(default)] open: bool,
) -> Result<(), AppError> {
    use crate::server::ctx::Ctx;
    Ctx::serve(&[crate::auth::Role::Owner], move |cx, me| async move {
        let d = chrono::NaiveDate::parse_from_str(day.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("day", crate::said::said("refuse-closed-date")))?;
        let note = note.trim().to_string();
        if note.chars().count() > 80 {
            return Err(AppError::invalid("note", crate::said::said("refuse-closed-note")));
        }
        if !open && d < cx.config().today() {
            return Err(AppError::invalid("day", crate::said::said("refuse-closed-past")));
        }
        let d = d.to_string();
        let mut tx = crate::server::db::begin_write(cx.db()).await?;
        if open {
            sqlx::query!("DELETE FROM closed_dates WHERE day = ?", d)
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query!(
                "INSERT INTO closed_dates (day, note) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET note = excluded.note",
                d,
                note
            )
            .execute(&mut *tx)
            .await?;
        }
        let who = crate::audit::Who::user(me.id, &me.name);
        let action = if open { "settings.reopened" } else { "settings.closed_date" };
        crate::audit::record(&mut *tx, &who, action, &d, serde_json::json!({"note": note})).await?;
        tx.commit().await?;
        Ok(())
    })
    .await
}

/// The "Opening hours and booking" card.
#[component]
pub fn HoursSection() -> impl IntoView {
    let save = ServerAction::<SaveBookingRules>::new();
    let closed = ServerAction::<SetClosedDate>::new();
    // Refetched when a closed date changes, not after a save: the form already shows what was
    // saved, and a refused save must keep what the owner typed.
    let data = Resource::new(move || closed.version().get(), |_| get_booking_rules());
    view! {
        <section class="card" id="hours">
            <h2>{tr("hours-title")}</h2>
            <p class="muted small">{tr("hours-hint")}</p>
            <Transition fallback=|| view! { <Loading label=tr("hours-loading")/> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(r) => view! { <HoursEditor rules=r save closed/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn HoursEditor(
    rules: BookingRules,
    save: ServerAction<SaveBookingRules>,
    closed: ServerAction<SetClosedDate>,
) -> impl IntoView {
    let form = RwSignal::new(HoursForm::of(&rules));
    let asked = RwSignal::new(false);
    let rows = day_rows(form);
    view! {
        <form class="form" novalidate on:submit=move |ev| {
            ev.prevent_default();
            asked.set(true);
            save.dispatch(SaveBookingRules { form: form.get_untracked() });
        }>
            <div class="form-row">
                <label class="field">
                    <span>{tr("hours-horizon")}</span>
                    <input name="horizon_days" inputmode="numeric" prop:value=move || form.with(|f| f.horizon_days.clone()) on:input=move |ev| form.update(|f| f.horizon_days = event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{tr("hours-cutoff")}</span>
                    <input name="cutoff" type="time" prop:value=move || form.with(|f| f.cutoff.clone()) on:input=move |ev| form.update(|f| f.cutoff = event_target_value(&ev))/>
                </label>
            </div>
            <div class="table-scroll" tabindex="0">
                <table class="table hours-table">
                    <caption class="muted small">{tr("hours-pickup-caption")}</caption>
                    <thead><tr><th>{tr("dash-day")}</th><th>{tr("hours-opens")}</th><th>{tr("hours-closes")}</th><th>{tr("hours-break-from")}</th><th>{tr("hours-break-to")}</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {move || (asked.get()).then(|| save.value().get()).flatten().map(|r| match r {
                Ok(()) => view! { <p class="form-ok" role="status">{tr("hours-saved")}</p> }.into_any(),
                Err(e) => view! { <p class="form-error" role="alert">{e.to_string()}</p> }.into_any(),
            })}
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" disabled=move || save.pending().get()>{tr("hours-save")}</button>
            </div>
        </form>
        <ClosedDates closed_on=rules.closed.clone() closed/>
    }
}

/// One row per weekday: open or not, opens, closes, and a break.
fn day_rows(form: RwSignal<HoursForm>) -> impl IntoView {
    let day_names = crate::words::day_names("days-long");
    let day_name = move |i: usize| day_names[i].clone();
    (0..7usize)
        .map(|i| {
            let name = day_name(i);
            let get = move |pick: fn(&DayForm) -> String| move || form.with(|f| pick(&f.days[i]));
            let set = move |put: fn(&mut DayForm, String)| {
                move |ev: leptos::ev::Event| form.update(|f| put(&mut f.days[i], event_target_value(&ev)))
            };
            let open = move || form.with(|f| f.days[i].open);
            view! {
                <tr>
                    <th scope="row">
                        <label class="check">
                            <input
                                type="checkbox"
                                name=format!("days[{i}].open")
                                prop:checked=open
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    form.update(|f| f.days[i].open = on)
                                }
                            />
                            <span>{name.clone()}</span>
                        </label>
                    </th>
                    <td><input type="time" aria-label=tr_with("hours-opens-of", &[("day", name.clone())]) name=format!("days[{i}].opens") disabled=move || !open() prop:value=get(|d| d.opens.clone()) on:input=set(|d, v| d.opens = v)/></td>
                    <td><input type="time" aria-label=tr_with("hours-closes-of", &[("day", name.clone())]) name=format!("days[{i}].closes") disabled=move || !open() prop:value=get(|d| d.closes.clone()) on:input=set(|d, v| d.closes = v)/></td>
                    <td><input type="time" aria-label=tr_with("hours-break-starts-of", &[("day", name.clone())]) name=format!("days[{i}].break_from") disabled=move || !open() prop:value=get(|d| d.break_from.clone()) on:input=set(|d, v| d.break_from = v)/></td>
                    <td><input type="time" aria-label=tr_with("hours-break-ends-of", &[("day", name.clone())]) name=format!("days[{i}].break_to") disabled=move || !open() prop:value=get(|d| d.break_to.clone()) on:input=set(|d, v| d.break_to = v)/></td>
                </tr>
            }
        })
        .collect_view()
}

/// The closed dates (each with Open again), and a form to close one more.
#[component]
fn ClosedDates(
    closed_on: std::collections::BTreeMap<chrono::NaiveDate, String>,
    closed: ServerAction<SetClosedDate>,
) -> impl IntoView {
    let closed_list = closed_on
        .iter()
        .map(|(day, note)| {
            let d = day.to_string();
            let label = if note.is_empty() {
                crate::words::day(&d, "date-short-year")
            } else {
                format!("{} — {note}", crate::words::day(&d, "date-short-year"))
            };
            view! {
                <li>
                    <span>{label}</span>
                    <button class="btn btn-small" on:click=move |_| {
                        closed.dispatch(SetClosedDate { day: d.clone(), note: String::new(), open: true });
                    }>{tr("hours-open-again")}</button>
                </li>
            }
        })
        .collect_view();
    let new_day = RwSignal::new(String::new());
    let new_note = RwSignal::new(String::new());
    view! {
        <h3>{tr("hours-closed-dates")}</h3>
        <p class="muted small">{tr("hours-closed-hint")}</p>
        <ul class="closed-list">{closed_list}</ul>
        <form class="inline-form key-form" on:submit=move |ev| {
            ev.prevent_default();
            closed.dispatch(SetClosedDate { day: new_day.get_untracked(), note: new_note.get_untracked(), open: false });
        }>
            <label class="field"><span>{tr("phone-date")}</span><input type="date" name="closed_day" prop:value=move || new_day.get() on:input=move |ev| new_day.set(event_target_value(&ev))/></label>
            <label class="field"><span>{tr("hours-note")}</span><input name="closed_note" maxlength="80" prop:value=move || new_note.get() on:input=move |ev| new_note.set(event_target_value(&ev))/></label>
            <button type="submit" class="btn" disabled=move || closed.pending().get()>{tr("hours-close-date")}</button>
        </form>
        {move || closed.value().get().and_then(|r| r.err()).map(|e| view! { <p class="form-error" role="alert">{e.to_string()}</p> })}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn week() -> HoursForm {
        let day = |open: bool| DayForm {
            open,
            opens: "8:00".into(),
            closes: "19:00".into(),
            break_from: "13:00".into(),
            break_to: "16:00".into(),
        };
        HoursForm {
            horizon_days: "21".into(),
            cutoff: "18:00".into(),
            days: (0..7).map(|i| day(i < 6)).collect(),
        }
    }

    #[test]
    fn a_week_with_a_break_is_read() {
        let v = week().validate().unwrap();
        assert_eq!((v.horizon, v.cutoff.as_deref()), (21, Some("18:00")));
        let mon = v.hours[0].as_ref().unwrap();
        assert_eq!(mon.summary(), "08:00–13:00, 16:00–19:00");
        assert!(v.hours[6].is_none());
    }

    #[test]
    fn every_bad_field_is_named() {
        type Spoil = fn(&mut HoursForm);
        let cases: Vec<(Spoil, &str)> = vec![
            (|f| f.horizon_days = "0".into(), "horizon_days"),
            (|f| f.cutoff = "25:00".into(), "cutoff"),
            (|f| f.days[2].opens = "nine".into(), "days[2].opens"),
            (|f| f.days[2].closes = "07:00".into(), "days[2].closes"),
            (|f| f.days[3].break_to = String::new(), "days[3].break_to"),
            (
                |f| f.days[3].break_from = "20:00".into(),
                "days[3].break_from",
            ),
            (|f| f.days.truncate(5), "days"),
        ];
        for (spoil, field) in cases {
            let mut f = week();
            spoil(&mut f);
            assert_eq!(f.validate().unwrap_err().field(), Some(field));
        }
        // A closed day's hours are not read at all.
        let mut f = week();
        f.days[6].opens = "nonsense".into();
        assert!(f.validate().is_ok());
    }
}
