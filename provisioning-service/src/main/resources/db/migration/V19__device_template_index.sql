-- Device search (issue 19): a page of one template's devices, all versions, in creation order. With only
-- (template_id, template_version, created_at, id) H2 2.4 sorted every device of the template for one page (a
-- quarter of a million rows in DeviceSearchBench); this index is in creation order for a fixed template id.
CREATE INDEX ix_devices_template_id_created ON devices (template_id, created_at, id);
