/**
 * Editor and tool temp files: backups (`main.go~`), Emacs locks and autosaves (`.#main.go`,
 * `#main.go#`), Vim swap files (`.main.go.swp`/`.swo`/`.swn`/`.swx`) and its write probe `4913`,
 * JetBrains safe-write files (`main.go___jb_tmp___`, `___jb_old___`), Kate swap files
 * (`.main.go.kate-swp`), gedit's `.goutputstream-*`, and `*.tmp`.
 */
export function isEditorTempFile(name: string): boolean {
  return (
    name.endsWith('~') ||
    name.startsWith('.#') ||
    (name.length > 2 && name.startsWith('#') && name.endsWith('#')) ||
    /\.sw[ponx]$/.test(name) ||
    name.endsWith('.tmp') ||
    name === '4913' ||
    name.includes('___jb_tmp___') ||
    name.includes('___jb_old___') ||
    (name.startsWith('.') && name.endsWith('.kate-swp')) ||
    name.startsWith('.goutputstream-')
  );
}
