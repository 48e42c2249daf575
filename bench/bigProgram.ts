import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../test/support/examples';
import { tempDir } from '../test/support/files';

/**
 * Generates a larger standard-library-only program with a patchable rules
 * plugin: a host that links many generated packages (so a full build and
 * link take well over a second), a shared package, and a small plugin folder.
 * Endpoints: `/` the rules version, `/pid`. Without `patchable` it has no
 * slot and no plugin: a program that only hands off (it does not link Go's
 * plugin support).
 */
export function generateBigProgram(packages = 60, funcsPerPackage = 250, { patchable = true } = {}): string {
  const dir = tempDir('hr-big-');
  const lib = path.join(repoRoot, 'go', 'hotreload');
  fs.writeFileSync(
    path.join(dir, 'go.mod'),
    `module example.com/big\n\ngo 1.19\n\nrequire hotreload.dev/go/hotreload v0.0.0\n\nreplace hotreload.dev/go/hotreload => ${lib}\n`,
  );
  const imports: string[] = [];
  const calls: string[] = [];
  for (let p = 0; p < packages; p++) {
    const pkgDir = path.join(dir, 'gen', `p${p}`);
    fs.mkdirSync(pkgDir, { recursive: true });
    let src = `// Package p${p} is generated bulk, to make the program large.\npackage p${p}\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\n`;
    for (let f = 0; f < funcsPerPackage; f++) {
      src += `func F${f}(s string, n int) string {\n\tvar b strings.Builder\n\tfor i := 0; i < n%7; i++ {\n\t\tfmt.Fprintf(&b, "%s-%d-${p}-${f}", s, i*${f + 1})\n\t}\n\tif len(s) > ${f % 13} {\n\t\treturn strings.ToUpper(b.String())\n\t}\n\treturn b.String() + s\n}\n\n`;
    }
    src += `// Sum touches every function so none is dead code.\nfunc Sum(s string) int {\n\tn := 0\n`;
    for (let f = 0; f < funcsPerPackage; f++) src += `\tn += len(F${f}(s, ${f}))\n`;
    src += '\treturn n\n}\n';
    fs.writeFileSync(path.join(pkgDir, 'gen.go'), src);
    imports.push(`\t"example.com/big/gen/p${p}"`);
    calls.push(`p${p}.Sum`);
  }
  fs.mkdirSync(path.join(dir, 'shared'));
  fs.writeFileSync(
    path.join(dir, 'shared', 'shared.go'),
    'package shared\n\n// Rules is what the plugin provides.\ntype Rules interface {\n\tVersion() string\n}\n',
  );
  if (patchable) {
    fs.mkdirSync(path.join(dir, 'rules'));
    fs.writeFileSync(path.join(dir, 'rules', 'rules.go'), rulesSource('rules v1'));
  }
  fs.writeFileSync(
    path.join(dir, 'main.go'),
    `package main

import (
	"fmt"
	"log"
	"net/http"
	"os"

${[...imports, '\t"example.com/big/shared"', '\t"hotreload.dev/go/hotreload"', ...(patchable ? ['\t"hotreload.dev/go/hotreload/patch"'] : [])].sort().join('\n')}
)

${patchable ? 'var rules = patch.NewSlot[shared.Rules]("rules")' : 'var rules = noSlot{}\n\n// noSlot stands for the patchable slot this variant does not have.\ntype noSlot struct{}\n\nfunc (noSlot) Get() shared.Rules { return nil }'}

var bulk = []func(string) int{${calls.join(', ')}}

// hostVersion is what a full rebuild changes (the floor and handoff measurements).
const hostVersion = "host v1"

func main() {
	if err := hotreload.Start(); err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		v := hostVersion
		if cur := rules.Get(); cur != nil {
			v = cur.Version() + " " + hostVersion
		}
		fmt.Fprintln(w, v)
	})
	http.HandleFunc("/bulk", func(w http.ResponseWriter, r *http.Request) {
		n := 0
		for _, f := range bulk {
			n += f("x")
		}
		fmt.Fprintln(w, n)
	})
	http.HandleFunc("/pid", func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, os.Getpid()) })
	port := os.Getenv("PORT")
	if port == "" {
		port = "8090"
	}
	log.Fatal(hotreload.ListenAndServe(&http.Server{}, ":"+port))
}
`,
  );
  return dir;
}

export function rulesSource(version: string): string {
  return `package main\n\nimport "example.com/big/shared"\n\ntype rules struct{}\n\nfunc HotReloadV1() any { return shared.Rules(rules{}) }\n\nfunc (rules) Version() string { return ${JSON.stringify(version)} }\n\nfunc main() {}\n`;
}
