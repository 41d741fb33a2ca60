# Hearth en español.

language-name = Español
days-long = lunes martes miércoles jueves viernes sábado domingo
days-short = lun mar mié jue vie sáb dom
months-long = enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre
months-short = ene feb mar abr may jun jul ago sep oct nov dic
date-long = %A %-d de %B
date-time-other-day = %a %-d %b, %H:%M
date-short = %a %-d %b
date-weekday = %a
date-weekday-long = %A
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

## Palabras de todas las páginas
today = Hoy
tomorrow = Mañana
yesterday = Ayer
previous-day = Día anterior
next-day = Día siguiente
save = Guardar
ok = Vale
undo = Deshacer
move = Mover
filter = Filtrar
total = Total
note = Nota
paid = Pagado
district = Distrito
delivery = Entrega
pickup = Recogida
fulfilment = Entrega o recogida
fulfilment-any = Entrega y recogida
payment = Pago
payment-any = Cualquier pago
payment-cod = Contra reembolso
payment-prepaid = Pagado por adelantado
payment-pay_at_pickup = Pago al recoger
allergies = Alergias
allergens = Alérgenos
not-served = Sin reparto
needs-location = Falta la ubicación
order-number = Pedido n.º { $number }
standing-order = Pedido fijo S-{ $id }

## Funciones
role-owner = Propietario/a
role-staff = Personal
role-driver = Repartidor/a

## El marco de cada página
nav-main = Principal
nav-menu-toggle = Menú
nav-your-account = { $email } · tu cuenta
nav-sign-out = Cerrar sesión
nav-dashboard = Inicio
nav-orders = Pedidos
nav-planning = Planificación
nav-runs = Rutas
nav-kitchen = Obrador
nav-stock = Existencias
nav-menu = Carta
nav-customers = Clientes
nav-promotions = Promociones
nav-reports = Informes
nav-driver-view = Vista de reparto
nav-settings = Ajustes
nav-audit = Registro de cambios
nav-my-run = Mi ruta

## Tu cuenta
account-title = Tu cuenta
account-subtitle = Tu idioma y cómo entras en Hearth
account-language = Idioma
account-language-label = Las páginas de Hearth en
account-language-business = El idioma de la panadería ({ $name })

## El tablero de pedidos
board-loading = Cargando pedidos
board-orders-one = { $count } pedido
board-orders-other = { $count } pedidos
board-new-phone-order = Nuevo pedido por teléfono
board-stages = Fases del pedido
board-nothing-here = Nada por aquí
board-show-more = Mostrar { $more } más · { $hidden } sin mostrar
board-cancelled-hidden-one = { $count } pedido cancelado oculto este día.
board-cancelled-hidden-other = { $count } pedidos cancelados ocultos este día.
board-all-districts = Todos los distritos
board-search = Buscar pedidos
board-search-hint = Número, nombre o teléfono
board-move-back-to = Devolver a…
board-back-to = Volver a
board-move-order-to = Mover el pedido n.º { $number } a
board-has-notes = Tiene notas
board-moved = N.º { $number } pasa a { $status }
board-heard-new = Pedido nuevo n.º { $number } ({ $by }).
board-heard-moved = { $by } ha pasado el n.º { $number } a { $status }.
board-heard-changed = { $by } ha cambiado el n.º { $number }.

## El móvil del repartidor
driver-title = Entregas de hoy
driver-loading = Cargando tus paradas
driver-outbox-sending-one = Enviando { $count } cambio…
driver-outbox-sending-other = Enviando { $count } cambios…
driver-outbox-offline-one = Sin conexión — { $count } cambio en espera
driver-outbox-offline-other = Sin conexión — { $count } cambios en espera
driver-no-run-published = Hoy no tienes ninguna ruta publicada
driver-stops-left = Paradas pendientes
driver-cash-to-collect = Efectivo por cobrar
driver-offline-ready = ✓ Guardado en este móvil: se abre sin cobertura
driver-no-run = Hoy no tienes ruta
driver-no-run-hint = Tus paradas aparecen aquí cuando se publiquen las rutas de hoy.
driver-cash-up = Cierre de caja
driver-order = Pedido
driver-expected = Previsto
driver-collected = Cobrado
driver-not-delivered-yet = aún sin entregar
driver-photo-shrinking = Reduciendo la foto…
driver-heard-delivered = Parada { $index }, { $name }: entregado.
driver-heard-failed = Parada { $index }, { $name }: no entregado.
driver-heard-arrived = Parada { $index }, { $name }: en la puerta.
driver-not-delivered = No entregado
driver-at-the-door = En la puerta
driver-stop = Parada { $index }, { $name }
driver-eta = Llegada { $time }
driver-items-one = { $count } artículo
driver-items-other = { $count } artículos
driver-collect = Cobrar { $amount }
driver-call = Llamar
driver-navigate = Cómo llegar
driver-arrived = He llegado
driver-failed = Fallida
driver-received-by = Lo recibe
driver-received-by-hint = Nombre de quien lo recoge
driver-cash-collected = Efectivo cobrado (a cobrar { $amount })
driver-photo = Foto (opcional)
driver-photo-label = Foto de la entrega
driver-photo-alt = La foto que se enviará
driver-photo-size = { $width }×{ $height } · { $kb } KB, se envía con la entrega
driver-confirm-delivery = Confirmar entrega
driver-why = Motivo
driver-choose-reason = Elige un motivo
driver-confirm-failed = Confirmar: no entregado
driver-map = Mapa de tu ruta
fail-reason-1 = No había nadie
fail-reason-2 = Dirección incorrecta o incompleta
fail-reason-3 = El cliente lo rechazó
fail-reason-4 = No se pudo acceder
fail-reason-5 = Dañado por el camino

## Planificación
planning-subtitle = Distritos, días de reparto y lo reservado en cada uno
planning-edit-districts = Editar distritos
planning-loading = Cargando el mapa
planning-pinned-in = Ubicado en { $district }
planning-undelivered-one = { $count } pedido sin entregar · próximos 14 días
planning-undelivered-other = { $count } pedidos sin entregar · próximos 14 días
planning-shown = { $shown } de { $all } pedidos a la vista
planning-districts-one = { $count } distrito
planning-districts-other = { $count } distritos
planning-need-location-one = { $count } necesita ubicación
planning-need-location-other = { $count } necesitan ubicación
planning-stops-one = { $count } parada
planning-stops-other = { $count } paradas
planning-draft = borrador
planning-runs-of = Rutas del { $day }
planning-open-runs = Abrir rutas
planning-map-hint = Arrastra un punto a un día. Mayús + arrastrar en el mapa (o activa la selección por zona) para elegir varios.
planning-area-select = Selección por zona
planning-area-select-on = Selección por zona: activa
planning-clear-selection = Quitar selección
planning-selected-orders = Pedidos seleccionados
planning-selected = { $count } seleccionados
planning-move-selected-to = Mover los pedidos seleccionados a
planning-move-selected = Mover selección
planning-not-served-why = { $district } no tiene reparto en { $weekday } (lo tiene: { $days }): suelta el pedido en un día con número.
planning-not-served = { $district } · sin reparto en { $weekday }
planning-from-standing = ({ $count } de pedidos fijos)
planning-stops-of = { $stops } de { $cap } paradas
planning-drive = unos { $km } km, { $time } en carretera
planning-drop-here = suelta aquí los pedidos
planning-loads-title = Paradas reservadas, próximos 14 días
planning-loads-hint = Cada celda: paradas / capacidad, y los km estimados de una furgoneta para las paradas pendientes del distrito (pasa el ratón para ver el tiempo).
planning-pin-on-map = Ubicar en el mapa
planning-no-address = sin dirección
planning-needs-location = Falta la ubicación
planning-needs-location-hint = Estas entregas llegaron sin chincheta en el mapa, o fuera de todo distrito; no se pueden planificar hasta que la tengan.
planning-next-3 = Próximos 3 días
planning-next-7 = Próximos 7 días
planning-week-after = La semana siguiente
planning-orders-of-fortnight = Pedidos de la quincena
planning-day = Día
planning-all-days = Los 14 días
planning-ranges = Periodos
planning-days = Días
planning-status = Estado
planning-any-status = Cualquier estado
planning-flexible-only = Solo flexibles
planning-not-in-run = Aún sin ruta
planning-fixed = El n.º { $number } está { $status }: el obrador lo hizo para su día, así que se queda ahí.
planning-select = Seleccionar n.º { $number }
planning-flexible = flexible
planning-standing = fijo { $id }
planning-in-a-run = en una ruta
planning-day-of = Día de entrega del n.º { $number }

## Correos a los clientes
email-greeting = Hola, { $name }:
email-follow = Síguelo en directo: { $url }
email-created-subject = Pedido n.º { $number } recibido
email-created-line = ¡Gracias! Tenemos tu pedido n.º { $number } para el { $when }.
email-cancelled-subject = Pedido n.º { $number } cancelado
email-cancelled-line = Tu pedido n.º { $number } para el { $when } se ha cancelado. Si no te lo esperabas, responde a este correo.
email-updated-subject = Pedido n.º { $number } cambiado: { $when }
email-updated-line = Tu pedido n.º { $number } queda previsto para el { $when }.
email-status-subject = Pedido n.º { $number }: { $status }
email-status-line = Tu pedido n.º { $number } ({ $when }) está ahora: { $status }.

## Rutas y hojas de ruta
run-summary = { $stops ->
    [one] 1 parada
   *[other] { $stops } paradas
} · { $km } km · salida { $depart } · vuelta { $back }
run-cash-to-collect = efectivo por cobrar { $amount }
sheet-loading = Preparando la hoja de ruta
sheet-title = Hoja de ruta · { $driver } · { $day }
sheet-from-and-back = Salida y vuelta: { $address }
sheet-print = Imprimir
sheet-eta = Llegada
sheet-customer = Cliente
sheet-address = Dirección
sheet-items = Artículos · notas
sheet-collect = Cobrar
sheet-track = Seguimiento
