-- Creates a dedicated database and least-privilege roles for a real deployment of Orders.
-- Run once, as a PostgreSQL superuser, choosing the passwords:
--
--   psql -h DB_HOST -U postgres -v app_password='...' -v reader_password='...' -f deploy/create-database.sql
--
-- Then start the service with
--   ORDERS_DB_URL=jdbc:postgresql://DB_HOST:5432/orders ORDERS_DB_USER=orders_app ORDERS_DB_PASSWORD=...
--
-- orders_app  logs in, owns only the schema "orders" (the service migrates it at start), nothing else:
--             not a superuser, cannot create databases or roles, no rights in "public".
-- orders_reader  read-only, for operators and reports.
\set ON_ERROR_STOP on

create role orders_app login password :'app_password'
    nosuperuser nocreatedb nocreaterole noinherit noreplication connection limit 50;
create role orders_reader login password :'reader_password'
    nosuperuser nocreatedb nocreaterole noinherit noreplication connection limit 10;

create database orders owner postgres encoding 'UTF8' template template0;
revoke all on database orders from public;
grant connect, temporary on database orders to orders_app;
grant connect on database orders to orders_reader;

\connect orders
revoke all on schema public from public;
create schema orders authorization orders_app;
alter role orders_app in database orders set search_path = orders;
alter role orders_reader in database orders set search_path = orders;

grant usage on schema orders to orders_reader;
-- Tables the service creates later are readable by the reader too.
alter default privileges for role orders_app in schema orders grant select on tables to orders_reader;
