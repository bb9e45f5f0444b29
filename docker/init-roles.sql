-- The app role owns nothing, so row-level security applies to it; hub_owner runs migrations.
CREATE ROLE hub_owner LOGIN CREATEDB PASSWORD 'hub_owner';
CREATE ROLE hub_app LOGIN NOBYPASSRLS PASSWORD 'hub_app';
CREATE DATABASE hub OWNER hub_owner;
