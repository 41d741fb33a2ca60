# Hearth in English. Adding a language: copy this file to locales/<code>/hearth.ftl and
# translate every message (a test fails while any message is missing or extra).

language-name = English
# Day and month names, Monday and January first, separated by spaces.
days-long = Monday Tuesday Wednesday Thursday Friday Saturday Sunday
days-short = Mon Tue Wed Thu Fri Sat Sun
months-long = January February March April May June July August September October November December
months-short = Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec
# Dates and times, as chrono format strings.
date-long = %A %-d %B
date-time-other-day = %a %-d %b, %H:%M
date-short = %a %-d %b
date-weekday = %a
date-weekday-long = %A
# Money: digit grouping, decimal mark, and where the symbol goes.
number-group = ,
number-decimal = .
money = { $symbol }{ $amount }
money-code = { $amount } { $code }

status-received = Received
status-confirmed = Confirmed
status-baking = Baking
status-ready = Ready
status-out_for_delivery = Out for delivery
status-delivered = Delivered
status-collected = Collected
status-cancelled = Cancelled

tracker-title = Order #{ $number } · { $business }
tracker-order = Order #{ $number }
tracker-headline = { $status ->
    [received] { $name }, your order is received
    [confirmed] { $name }, your order is confirmed
    [baking] { $name }, your order is baking
    [ready] { $name }, your order is ready
    [out_for_delivery] { $name }, your order is out for delivery
    [delivered] { $name }, your order is delivered
    [collected] { $name }, your order is collected
   *[other] { $name }, your order is on its way
}
tracker-cancelled = This order was cancelled
tracker-delivery-on = Delivery on { $date }
tracker-pickup-on = Pickup on { $date }
tracker-stops-before = { $count ->
    [0] You're the next stop.
    [one] 1 stop before yours.
   *[other] { $count } stops before yours.
}
tracker-progress = Order progress
tracker-ordered = What you ordered
tracker-total = Total
tracker-updates = This page updates by itself.
tracker-not-found = We can't find this order. Check the link in your message.

## Words every page uses
today = Today
tomorrow = Tomorrow
yesterday = Yesterday
previous-day = Previous day
next-day = Next day
save = Save
ok = OK
undo = Undo
move = Move
filter = Filter
total = Total
note = Note
paid = Paid
district = District
delivery = Delivery
pickup = Pickup
fulfilment = Fulfilment
fulfilment-any = Delivery and pickup
payment = Payment
payment-any = Any payment
payment-cod = Cash on delivery
payment-prepaid = Prepaid
payment-pay_at_pickup = Pay at pickup
allergies = Allergies
allergens = Allergens
not-served = Not served
needs-location = Needs location
order-number = Order #{ $number }
standing-order = Standing order S-{ $id }

## Roles
role-owner = Owner
role-staff = Staff
role-driver = Driver

## The frame around every signed-in page
nav-main = Main
nav-menu-toggle = Menu
nav-your-account = { $email } · your account
nav-sign-out = Sign out
nav-dashboard = Dashboard
nav-orders = Orders
nav-planning = Planning
nav-runs = Runs
nav-kitchen = Kitchen
nav-stock = Stock
nav-menu = Menu
nav-customers = Customers
nav-promotions = Promotions
nav-reports = Reports
nav-driver-view = Driver view
nav-settings = Settings
nav-audit = Audit log
nav-my-run = My run

## Your account
account-title = Your account
account-subtitle = Your language, and how you sign in to Hearth
account-language = Language
account-language-label = Hearth's pages in
account-language-business = The bakery's language ({ $name })

## The orders board
board-loading = Loading orders
board-orders-one = { $count } order
board-orders-other = { $count } orders
board-new-phone-order = New phone order
board-stages = Order stages
board-nothing-here = Nothing here
board-show-more = Show { $more } more · { $hidden } not shown
board-cancelled-hidden-one = { $count } cancelled order hidden on this day.
board-cancelled-hidden-other = { $count } cancelled orders hidden on this day.
board-all-districts = All districts
board-search = Search orders
board-search-hint = Number, name or phone
board-move-back-to = Move back to…
board-back-to = Back to
board-move-order-to = Move order #{ $number } to
board-has-notes = Has notes
board-moved = #{ $number } moved to { $status }
board-heard-new = New order #{ $number } ({ $by }).
board-heard-moved = #{ $number } moved to { $status } by { $by }.
board-heard-changed = #{ $number } changed by { $by }.

## The driver's phone
driver-title = Today's deliveries
driver-loading = Loading your stops
driver-outbox-sending-one = Sending { $count } update…
driver-outbox-sending-other = Sending { $count } updates…
driver-outbox-offline-one = Offline — { $count } update waiting
driver-outbox-offline-other = Offline — { $count } updates waiting
driver-no-run-published = No run published for you today
driver-stops-left = Stops left
driver-cash-to-collect = Cash to collect
driver-offline-ready = ✓ Saved on this phone: opens without signal
driver-no-run = No run for you today
driver-no-run-hint = Your stops appear here once the owner publishes today's runs.
driver-cash-up = Cash-up
driver-order = Order
driver-expected = Expected
driver-collected = Collected
driver-not-delivered-yet = not delivered yet
driver-photo-shrinking = Shrinking the photo…
driver-heard-delivered = Stop { $index }, { $name }: delivered.
driver-heard-failed = Stop { $index }, { $name }: not delivered.
driver-heard-arrived = Stop { $index }, { $name }: at the door.
driver-not-delivered = Not delivered
driver-at-the-door = At the door
driver-stop = Stop { $index }, { $name }
driver-eta = ETA { $time }
driver-items-one = { $count } item
driver-items-other = { $count } items
driver-collect = Collect { $amount }
driver-call = Call
driver-navigate = Navigate
driver-arrived = Arrived
driver-failed = Failed
driver-received-by = Received by
driver-received-by-hint = Name of who took it
driver-cash-collected = Cash collected (due { $amount })
driver-photo = Photo (optional)
driver-photo-label = Photo of the delivery
driver-photo-alt = The photo to send
driver-photo-size = { $width }×{ $height } · { $kb } KB, sent with the delivery
driver-confirm-delivery = Confirm delivery
driver-why = Why
driver-choose-reason = Choose a reason
driver-confirm-failed = Confirm: not delivered
driver-map = Map of your run
# The reasons a delivery failed, in the order the driver's list shows them.
fail-reason-1 = Nobody home
fail-reason-2 = Wrong or incomplete address
fail-reason-3 = Refused by the customer
fail-reason-4 = Couldn't get access
fail-reason-5 = Damaged on the way

## Planning
planning-subtitle = Districts, delivery days and what is booked on each
planning-edit-districts = Edit districts
planning-loading = Loading the map
planning-pinned-in = Pinned in { $district }
planning-undelivered-one = { $count } undelivered order · next 14 days
planning-undelivered-other = { $count } undelivered orders · next 14 days
planning-shown = { $shown } of { $all } orders shown
planning-districts-one = { $count } district
planning-districts-other = { $count } districts
planning-need-location-one = { $count } needs a location
planning-need-location-other = { $count } need a location
planning-stops-one = { $count } stop
planning-stops-other = { $count } stops
planning-draft = draft
planning-runs-of = Runs of { $day }
planning-open-runs = Open runs
planning-map-hint = Drag a dot onto a day. Shift-drag on the map (or switch on area select) to pick several.
planning-area-select = Area select
planning-area-select-on = Area select: on
planning-clear-selection = Clear selection
planning-selected-orders = Selected orders
planning-selected = { $count } selected
planning-move-selected-to = Move the selected orders to
planning-move-selected = Move selected
planning-not-served-why = { $district } is not delivered to on { $weekday }s (it is on { $days }): drop the order on a day with a count.
planning-not-served = { $district } · not delivered on { $weekday }
planning-from-standing = ({ $count } from standing orders)
planning-stops-of = { $stops } of { $cap } stops
planning-drive = about { $km } km, { $time } on the road
planning-drop-here = drop orders here
planning-loads-title = Stops booked, next 14 days
planning-loads-hint = Each cell: stops / capacity, and the estimated km of one van for that district's undelivered stops (hover for drive time).
planning-pin-on-map = Pin on map
planning-no-address = no address
planning-needs-location = Needs a location
planning-needs-location-hint = These deliveries came without a map pin, or their pin is outside every district; they can't be planned until they have one.
planning-next-3 = Next 3 days
planning-next-7 = Next 7 days
planning-week-after = The week after
planning-orders-of-fortnight = Orders of the fortnight
planning-day = Day
planning-all-days = All 14 days
planning-ranges = Ranges
planning-days = Days
planning-status = Status
planning-any-status = Any status
planning-flexible-only = Flexible only
planning-not-in-run = Not in a run yet
planning-fixed = #{ $number } is { $status }: the kitchen made it for its day, so it stays there.
planning-select = Select #{ $number }
planning-flexible = flexible
planning-standing = standing { $id }
planning-in-a-run = in a run
planning-day-of = Delivery day of #{ $number }

## Emails to customers (in the order's language, else the bakery's)
email-greeting = Hi { $name },
email-follow = Follow it live: { $url }
email-created-subject = Order #{ $number } received
email-created-line = Thank you! We have your order #{ $number } for { $when }.
email-cancelled-subject = Order #{ $number } cancelled
email-cancelled-line = Your order #{ $number } for { $when } has been cancelled. If this is a surprise, just reply to this email.
email-updated-subject = Order #{ $number } updated: { $when }
email-updated-line = Your order #{ $number } is now planned for { $when }.
email-status-subject = Order #{ $number }: { $status }
email-status-line = Your order #{ $number } ({ $when }) is now: { $status }.

## Runs and run sheets
run-summary = { $stops ->
    [one] 1 stop
   *[other] { $stops } stops
} · { $km } km · leave { $depart } · back { $back }
run-cash-to-collect = cash to collect { $amount }
sheet-loading = Preparing the run sheet
sheet-title = Run sheet · { $driver } · { $day }
sheet-from-and-back = From and back to { $address }
sheet-print = Print
sheet-eta = ETA
sheet-customer = Customer
sheet-address = Address
sheet-items = Items · notes
sheet-collect = Collect
sheet-track = Track
