-- An order has exactly one delivery and one payment: they become columns of the order. One row per order instead of
-- three, and no foreign-key checks or primary-key indexes for them: the inserts of a batch take about a third less
-- time in PostgreSQL (docs/PERFORMANCE.md). Items stay a table of their own (one order, many items).
alter table orders
    add column delivery_name         text,
    add column delivery_phone        text,
    add column delivery_zip          text,
    add column delivery_city         text,
    add column delivery_address      text,
    add column delivery_region       text,
    add column delivery_email        text,
    add column payment_transaction   text,
    add column payment_request_id    text,
    add column payment_currency      text,
    add column payment_provider      text,
    add column payment_amount        bigint,
    add column payment_dt            bigint,
    add column payment_bank          text,
    add column payment_delivery_cost bigint,
    add column payment_goods_total   bigint,
    add column payment_custom_fee    bigint;

update orders o
set delivery_name = d.name, delivery_phone = d.phone, delivery_zip = d.zip, delivery_city = d.city,
    delivery_address = d.address, delivery_region = d.region, delivery_email = d.email,
    payment_transaction = p.transaction, payment_request_id = p.request_id, payment_currency = p.currency,
    payment_provider = p.provider, payment_amount = p.amount, payment_dt = p.payment_dt, payment_bank = p.bank,
    payment_delivery_cost = p.delivery_cost, payment_goods_total = p.goods_total, payment_custom_fee = p.custom_fee
from deliveries d, payments p
where d.order_uid = o.order_uid and p.order_uid = o.order_uid;

alter table orders
    alter column delivery_name set not null,
    alter column delivery_phone set not null,
    alter column delivery_zip set not null,
    alter column delivery_city set not null,
    alter column delivery_address set not null,
    alter column delivery_region set not null,
    alter column delivery_email set not null,
    alter column payment_transaction set not null,
    alter column payment_request_id set not null,
    alter column payment_currency set not null,
    alter column payment_provider set not null,
    alter column payment_amount set not null,
    alter column payment_dt set not null,
    alter column payment_bank set not null,
    alter column payment_delivery_cost set not null,
    alter column payment_goods_total set not null,
    alter column payment_custom_fee set not null,
    add check (char_length(delivery_name) between 1 and 1024),
    add check (char_length(delivery_phone) between 1 and 1024),
    add check (char_length(delivery_zip) <= 1024),
    add check (char_length(delivery_city) between 1 and 1024),
    add check (char_length(delivery_address) between 1 and 1024),
    add check (char_length(delivery_region) <= 1024),
    add check (delivery_email = ''
        or (char_length(delivery_email) <= 1024 and delivery_email ~ '^[^@[:space:]]+@[^@[:space:]]+$')),
    add check (char_length(payment_transaction) between 1 and 1024),
    add check (char_length(payment_request_id) <= 1024),
    add check (payment_currency ~ '^[A-Z]{3}$'),
    add check (char_length(payment_provider) between 1 and 1024),
    add check (payment_amount >= 0),
    add check (payment_dt >= 0),
    add check (char_length(payment_bank) <= 1024),
    add check (payment_delivery_cost >= 0),
    add check (payment_goods_total >= 0),
    add check (payment_custom_fee >= 0);

drop table deliveries;
drop table payments;
