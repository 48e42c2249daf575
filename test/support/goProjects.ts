/**
 * Go projects made at test time from the Go module proxy (nothing vendored): a Gin web app (about
 * 300 packages) that keeps a SQLite database in its own folder through mattn/go-sqlite3 (cgo, built
 * with gcc: some 45 s the first time on 2 cores, then cached by go) and hands its socket over with
 * go/hotreload from this checkout. `/` answers greeting() (greeting.go), `/visits` the rows written
 * so far (one each 100 ms). Without the database it is the same app in plain Go (no cgo).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './examples';
import { tempDir } from './files';

const GIN = 'github.com/gin-gonic/gin@v1.12.0';
const SQLITE = 'github.com/mattn/go-sqlite3@v1.14.53';

const MAIN = `package main

import (
	"database/sql"
	"log"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	_ "github.com/mattn/go-sqlite3"
	"hotreload.dev/go/hotreload"
)

func main() {
	_ = os.MkdirAll("data", 0o755)
	db, err := sql.Open("sqlite3", "file:data/app.db?_journal_mode=WAL&_busy_timeout=5000")
	if err != nil {
		log.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE IF NOT EXISTS visits (at INTEGER)"); err != nil {
		log.Fatal(err)
	}
	go func() {
		for range time.Tick(100 * time.Millisecond) {
			_, _ = db.Exec("INSERT INTO visits (at) VALUES (?)", time.Now().UnixNano())
		}
	}()
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.GET("/", func(c *gin.Context) { c.String(http.StatusOK, greeting()) })
	r.GET("/visits", func(c *gin.Context) {
		var n int
		_ = db.QueryRow("SELECT COUNT(*) FROM visits").Scan(&n)
		c.String(http.StatusOK, strconv.Itoa(n))
	})
	if err := hotreload.ListenAndServe(&http.Server{Handler: r}, "127.0.0.1:"+os.Getenv("PORT")); err != nil {
		log.Fatal(err)
	}
}
`;

/** The app, its modules from the proxy (go get, go mod tidy), go/hotreload from this checkout. */
export function ginSqliteApp(greeting = 'gin v0', { database = true } = {}): string {
  const dir = tempDir('hr-gin-sqlite-');
  const lib = path.join(repoRoot, 'go', 'hotreload');
  fs.writeFileSync(
    path.join(dir, 'go.mod'),
    `module example.com/ginsqlite\n\ngo 1.24\n\nrequire hotreload.dev/go/hotreload v0.0.0\n\nreplace hotreload.dev/go/hotreload => ${lib}\n`,
  );
  fs.writeFileSync(path.join(dir, 'main.go'), database ? MAIN : withoutDatabase(MAIN));
  fs.writeFileSync(
    path.join(dir, 'greeting.go'),
    `package main\n\n// greeting is what the service answers.\nfunc greeting() string {\n\treturn ${JSON.stringify(greeting)}\n}\n`,
  );
  execFileSync('go', ['get', GIN, ...(database ? [SQLITE] : [])], { cwd: dir, stdio: 'ignore' });
  execFileSync('go', ['mod', 'tidy'], { cwd: dir, stdio: 'ignore' });
  return dir;
}

/** The app's main.go with the database and its writer left out. */
function withoutDatabase(main: string): string {
  return main
    .replace(/\t"database\/sql"\n/, '')
    .replace(/\t"strconv"\n\t"time"\n/, '')
    .replace(/\t_ "github.com\/mattn\/go-sqlite3"\n/, '')
    .replace(/\t_ = os\.MkdirAll[\s\S]*?\t}\(\)\n/, '')
    .replace(/\tr\.GET\("\/visits"[\s\S]*?\t}\)\n/, '');
}
