# Hearth en español.

language-name = Español
chrono-locale = es_ES
date-long = %A %-d de %B
date-time-other-day = %a %-d %b, %H:%M
number-group = .
number-decimal = ,
money = { $amount } { $symbol }
money-code = { $amount } { $code }

status-received = Recibido
status-confirmed = Confirmado
status-baking = En el horno
status-ready = Listo
status-out_for_delivery = En reparto
status-delivered = Entregado
status-collected = Recogido
status-cancelled = Cancelado

tracker-title = Pedido n.º { $number } · { $business }
tracker-order = Pedido n.º { $number }
tracker-headline = { $status ->
    [received] { $name }, hemos recibido tu pedido
    [confirmed] { $name }, tu pedido está confirmado
    [baking] { $name }, tu pedido está en el horno
    [ready] { $name }, tu pedido está listo
    [out_for_delivery] { $name }, tu pedido está en camino
    [delivered] { $name }, tu pedido está entregado
    [collected] { $name }, ya has recogido tu pedido
   *[other] { $name }, tu pedido está en marcha
}
tracker-cancelled = Este pedido se ha cancelado
tracker-delivery-on = Entrega el { $date }
tracker-pickup-on = Recogida el { $date }
tracker-stops-before = { $count ->
    [0] Eres la próxima parada.
    [one] Hay 1 parada antes de la tuya.
   *[other] Hay { $count } paradas antes de la tuya.
}
tracker-progress = Progreso del pedido
tracker-ordered = Lo que has pedido
tracker-total = Total
tracker-updates = Esta página se actualiza sola.
tracker-not-found = No encontramos este pedido. Revisa el enlace de tu mensaje.
