/**
 * Packing a throwaway test extension into a .vsix without vsce: a zip of [Content_Types].xml,
 * extension.vsixmanifest and extension/… (stored, no compression). The real extension is packed
 * with vsce.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { storedZip } from '../support/zip';

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...listFiles(path.join(dir, e.name), rel));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Packs an extension folder (with a package.json) into a .vsix without vsce,
 * e.g. for throwaway test extensions. The real extension is packed with vsce.
 */
export function packVsix(extensionDir: string, outFile: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(extensionDir, 'package.json'), 'utf8')) as {
    name: string;
    publisher: string;
    version: string;
    displayName?: string;
    description?: string;
    engines?: { vscode?: string };
  };
  const vsixManifest = `<?xml version="1.0" encoding="utf-8"?>
<PackageManifest Version="2.0.0" xmlns="http://schemas.microsoft.com/developer/vsx-schema/2011" xmlns:d="http://schemas.microsoft.com/developer/vsx-schema-design/2011">
  <Metadata>
    <Identity Language="en-US" Id="${xmlEscape(manifest.name)}" Version="${xmlEscape(manifest.version)}" Publisher="${xmlEscape(manifest.publisher)}" />
    <DisplayName>${xmlEscape(manifest.displayName ?? manifest.name)}</DisplayName>
    <Description xml:space="preserve">${xmlEscape(manifest.description ?? '')}</Description>
    <Categories>Other</Categories>
    <GalleryFlags>Public</GalleryFlags>
    <Properties>
      <Property Id="Microsoft.VisualStudio.Code.Engine" Value="${xmlEscape(manifest.engines?.vscode ?? '*')}" />
    </Properties>
  </Metadata>
  <Installation>
    <InstallationTarget Id="Microsoft.VisualStudio.Code" />
  </Installation>
  <Dependencies />
  <Assets>
    <Asset Type="Microsoft.VisualStudio.Code.Manifest" Path="extension/package.json" Addressable="true" />
  </Assets>
</PackageManifest>
`;
  const files = listFiles(extensionDir);
  const exts = [...new Set(files.map((f) => path.extname(f).toLowerCase()).filter(Boolean))];
  const types = exts.map(
    (e) =>
      `<Default Extension="${xmlEscape(e)}" ContentType="${e === '.json' ? 'application/json' : e === '.js' ? 'application/javascript' : 'application/octet-stream'}" />`,
  );
  const contentTypes = `<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension=".vsixmanifest" ContentType="text/xml" />${types.join('')}</Types>
`;
  const entries = [
    { name: 'extension.vsixmanifest', data: Buffer.from(vsixManifest) },
    { name: '[Content_Types].xml', data: Buffer.from(contentTypes) },
    ...files.map((f) => ({ name: `extension/${f}`, data: fs.readFileSync(path.join(extensionDir, f)) })),
  ];
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(outFile, storedZip(entries.map(({ name, data }): [string, Buffer] => [name, data])));
  return outFile;
}
