-- order_uid holds only A-Z a-z 0-9 _ - (one byte each), so its order and equality under any collation are those of
-- its bytes. Under the database's own collation (a libc locale such as C.UTF-8 or en_US.UTF-8) every comparison in the
-- primary key, the items' key and the items' foreign-key check went through strcoll: a tenth of PostgreSQL's time in
-- ingestion (docs/PERFORMANCE.md). Collation "C" compares with memcmp. The indexes and the foreign key are rebuilt.
alter table orders alter column order_uid type text collate "C";
alter table order_items alter column order_uid type text collate "C";
