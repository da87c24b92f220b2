package main

import (
	"database/sql"
	"fmt"
	"os"
	"time"

	_ "github.com/marcboeker/go-duckdb"
)

func main() {
	db, err := sql.Open("duckdb", os.Args[1]+"?access_mode=read_only")
	if err != nil {
		panic(err)
	}
	for _, q := range os.Args[2:] {
		t := time.Now()
		rows, err := db.Query(q)
		if err != nil {
			panic(err)
		}
		n := 0
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			rows.Scan(ptrs...)
			n++
		}
		rows.Close()
		fmt.Printf("%d rows %.3fs  %.80s\n", n, time.Since(t).Seconds(), q)
	}
}
