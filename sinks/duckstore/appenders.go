package duckstore

import (
	"database/sql"
	"errors"
	"fmt"
)

// ingestTables are the tables Commit appends to.
var ingestTables = []string{"files", "profiles", "sources", "vacancies", "quarantine", "subjects", "subject_keys", "restricted"}

// tableAppenders keeps one Appender per ingest table open across batches instead of
// creating eight per batch. An Appender belongs to a connection, not to a transaction:
// each Flush appends its buffered rows in whatever transaction is open on that
// connection, so flushing before COMMIT keeps a batch all-or-nothing.
type tableAppenders struct {
	conn any // the driver connection the appenders were created on
	set  appenderSet
}

// batchAppenders returns appenders bound to conn, replacing the kept ones when the pool
// has handed out a different driver connection since they were made.
func (s *Store) batchAppenders(conn *sql.Conn) (appenderSet, error) {
	err := conn.Raw(func(dc any) error {
		if s.apps != nil && s.apps.conn == dc {
			return nil
		}
		s.dropAppenders()
		set, err := appenders(dc, ingestTables...)
		if err != nil {
			return err
		}
		s.apps = &tableAppenders{conn: dc, set: set}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.apps.set, nil
}

// flushAppenders writes every buffered row into the open transaction.
func flushAppenders(set appenderSet) error {
	for _, t := range ingestTables {
		if err := set[t].Flush(); err != nil {
			return fmt.Errorf("flushing %s: %w", t, err)
		}
	}
	return nil
}

// dropAppenders closes and forgets the kept appenders. After a failed batch their
// buffers may still hold that batch's rows; Close flushes them into the transaction
// that is about to roll back, so nothing of the batch survives into the next one.
func (s *Store) dropAppenders() error {
	if s.apps == nil {
		return nil
	}
	var errs []error
	for _, t := range ingestTables {
		if err := s.apps.set[t].Close(); err != nil {
			errs = append(errs, fmt.Errorf("closing %s appender: %w", t, err))
		}
	}
	s.apps = nil
	return errors.Join(errs...)
}
