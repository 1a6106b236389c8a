"""Business operations. Each public function owns its transaction: it commits on success
and rolls back on any error, so a refused operation leaves nothing half-written."""
