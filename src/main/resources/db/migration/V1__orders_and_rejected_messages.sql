-- Orders are immutable: rows are inserted once and never updated.
-- Constraints mirror the validation rules of the order contract, so the database refuses what the reader would.

create table orders (
    order_uid          text        primary key check (order_uid ~ '^[A-Za-z0-9_-]{1,64}$'),
    track_number       text        not null check (char_length(track_number) between 1 and 1024),
    entry              text        not null check (char_length(entry) between 1 and 1024),
    locale             text        not null check (char_length(locale) between 1 and 1024),
    internal_signature text        not null check (char_length(internal_signature) <= 1024),
    customer_id        text        not null check (char_length(customer_id) between 1 and 1024),
    delivery_service   text        not null check (char_length(delivery_service) between 1 and 1024),
    shardkey           text        not null check (char_length(shardkey) between 1 and 1024),
    sm_id              bigint      not null check (sm_id >= 0),
    date_created       timestamptz not null,
    oof_shard          text        not null check (char_length(oof_shard) between 1 and 1024),
    -- SHA-256 of the canonical JSON: tells an identical redelivery from a conflicting one, and is the ETag.
    content_sha256     bytea       not null check (length(content_sha256) = 32),
    stored_seq         bigint      generated always as identity unique,
    stored_at          timestamptz not null default now()
);

create table deliveries (
    order_uid text primary key references orders (order_uid) on delete cascade,
    name      text not null check (char_length(name) between 1 and 1024),
    phone     text not null check (char_length(phone) between 1 and 1024),
    zip       text not null check (char_length(zip) <= 1024),
    city      text not null check (char_length(city) between 1 and 1024),
    address   text not null check (char_length(address) between 1 and 1024),
    region    text not null check (char_length(region) <= 1024),
    email     text not null check (email = '' or (char_length(email) <= 1024 and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'))
);

create table payments (
    order_uid     text   primary key references orders (order_uid) on delete cascade,
    transaction   text   not null check (char_length(transaction) between 1 and 1024),
    request_id    text   not null check (char_length(request_id) <= 1024),
    currency      text   not null check (currency ~ '^[A-Z]{3}$'),
    provider      text   not null check (char_length(provider) between 1 and 1024),
    amount        bigint not null check (amount >= 0),
    payment_dt    bigint not null check (payment_dt >= 0),
    bank          text   not null check (char_length(bank) <= 1024),
    delivery_cost bigint not null check (delivery_cost >= 0),
    goods_total   bigint not null check (goods_total >= 0),
    custom_fee    bigint not null check (custom_fee >= 0)
);

create table order_items (
    order_uid    text     not null references orders (order_uid) on delete cascade,
    position     smallint not null check (position between 0 and 999),
    chrt_id      bigint   not null check (chrt_id >= 0),
    track_number text     not null check (char_length(track_number) between 1 and 1024),
    price        bigint   not null check (price >= 0),
    rid          text     not null check (char_length(rid) between 1 and 1024),
    name         text     not null check (char_length(name) between 1 and 1024),
    sale         smallint not null check (sale between 0 and 100),
    size         text     not null check (char_length(size) <= 1024),
    total_price  bigint   not null check (total_price >= 0),
    nm_id        bigint   not null check (nm_id >= 0),
    brand        text     not null check (char_length(brand) <= 1024),
    status       bigint   not null check (status >= 0),
    primary key (order_uid, position)
);

-- Every message that did not become an order, with enough to find it in the broker and to replay it.
create table rejected_messages (
    id           bigint      generated always as identity primary key,
    rejected_at  timestamptz not null default now(),
    source       text        not null check (source in ('jetstream', 'kafka')),
    channel      text        not null,              -- JetStream stream or Kafka topic
    partition    integer     not null default 0,    -- Kafka partition; 0 for JetStream
    position     bigint      not null,              -- JetStream stream sequence or Kafka offset
    code         text        not null check (code in ('too_large', 'not_json', 'schema', 'invalid_value', 'conflict')),
    reason       text        not null,
    order_uid    text,
    payload      bytea       not null,              -- the raw bytes, or the first of them when too_large
    payload_size integer     not null check (payload_size >= 0),
    -- A redelivered message must not be recorded twice.
    unique (source, channel, partition, position)
);

create index rejected_messages_by_time on rejected_messages (rejected_at desc);
create index rejected_messages_by_code on rejected_messages (code, rejected_at desc);
