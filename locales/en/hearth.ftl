# Hearth in English. Adding a language: copy this file to locales/<code>/hearth.ftl and
# translate every message (a test fails while any message is missing or extra).

language-name = English
# chrono's locale for day and month names.
chrono-locale = en_GB
# Dates and times, as chrono format strings.
date-long = %A %-d %B
date-time-other-day = %a %-d %b, %H:%M
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
