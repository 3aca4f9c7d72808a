package postgres

import "github.com/jackc/pgx/v5/pgxpool"

// Pool exposes the store's pool to the tests of package postgres_test.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }
