/**
 * What `npm run build` ships: the Chrome and Firefox builds, their manifests'
 * security properties, and a build that refuses a broken digest.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync, inflateRawSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { unzipSync } from 'fflate';
import { DIST, ROOT } from './harness';
import { packedFromJson, readNeighbours, type PackedRelatedJson } from '../../src/shared/related';

const FIREFOX_DIST = join(ROOT, 'dist-firefox');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('Chrome build', () => {
  const manifest = readJson(join(DIST, 'manifest.json'));

  it('has a strict CSP, only the context-menu and storage permissions, only the packaged modules web-accessible (dynamic URL) and no external messaging', () => {
    const csp = (manifest.content_security_policy as { extension_pages: string }).extension_pages;
    expect(csp).toBe("script-src 'self'; object-src 'self'");
    expect(JSON.stringify(manifest)).not.toMatch(/localhost|127\\.0\\.0\\.1|unsafe-/);
    // "contextMenus" for "Find in PaperPeek" on selected text (issue 5), "storage" for
    // the reading list's optional sync (issue 7; off until the reader turns it on;
    // neither shows an install warning). The badge, tabs.query for the active tab's
    // id, tabs.sendMessage and the keyboard shortcut (`_execute_action`) need no
    // permission; no "tabs", no host permissions.
    expect(manifest.permissions).toEqual(['contextMenus', 'storage']);
    expect(manifest.host_permissions).toBeUndefined();
    expect(manifest.commands).toEqual({
      _execute_action: { suggested_key: { default: 'Alt+Shift+P', mac: 'Alt+Shift+P' }, description: 'Open PaperPeek search' },
    });
    // The hover card module, imported by the content script on first hover, and its exact
    // half, imported once there is a place to read; their URLs change per session, so
    // pages cannot probe for the extension through them.
    expect(manifest.web_accessible_resources).toEqual([
      { resources: ['card/card.js', 'exact/exact.js'], matches: ['http://*/*', 'https://*/*'], use_dynamic_url: true },
    ]);
    expect(manifest.externally_connectable).toEqual({ ids: [], matches: [] });
  });

  it('ships no eval or new Function, and no URL the extension could call out to', () => {
    const scripts = filesUnder(DIST).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(2);
    for (const file of scripts) {
      const code = readFileSync(file, 'utf8');
      expect(code, file).not.toMatch(/\beval\(|new Function\(/);
      // fetch/XHR/WebSocket/sendBeacon to an absolute URL would be a network request.
      expect(code, file).not.toMatch(/(fetch|sendBeacon|WebSocket|EventSource)\(\s*["'`]https?:/);
    }
  });

  it('bundles the digest as packaged parts with all 81 papers', () => {
    const names = readdirSync(join(DIST, 'digest'));
    const parts = names.filter((name) => name.startsWith('part-')).sort();
    expect(names.filter((name) => name.startsWith('papers-')).sort()).toEqual(parts.map((name) => name.replace('part-', 'papers-').replace('.json.gz', '.bin')));
    const titles = parts.flatMap((name) => {
      const json = JSON.parse(gunzipSync(readFileSync(join(DIST, 'digest', name))).toString('utf8')) as { paperBuckets: { ids: string[]; length: number }[] };
      const packed = readFileSync(join(DIST, 'digest', name.replace('part-', 'papers-').replace('.json.gz', '.bin')));
      let offset = 0;
      return json.paperBuckets.flatMap(({ ids, length }) => {
        // Raw DEFLATE of each bucket's papers, end to end (src/shared/packed-buckets.ts).
        const papers = JSON.parse(inflateRawSync(packed.subarray(offset, (offset += length))).toString('utf8')) as { id: string; title: string }[];
        expect(papers.map((p) => p.id)).toEqual(ids);
        return papers.map((p) => p.title);
      });
    });
    expect(titles).toHaveLength(81);
    expect(titles).toContain('Pointer Networks');
  });

  it('bundles related papers for every paper, none listing itself', () => {
    const packaged = JSON.parse(gunzipSync(readFileSync(join(DIST, 'digest', 'related.json.gz'))).toString('utf8')) as { related: PackedRelatedJson };
    const pack = packedFromJson(packaged.related);
    const ids = execFileSync('npx', ['tsx', 'scripts/digest-cli.ts', 'list'], { cwd: ROOT, encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => line.split('\t')[0] as string);
    expect(ids).toHaveLength(81);
    for (const id of ids) {
      const neighbours = readNeighbours(pack, id) ?? [];
      expect(neighbours.length, id).toBeGreaterThan(0);
      expect(neighbours.map((n) => n.id), id).not.toContain(id);
      expect(neighbours.every((n) => ids.includes(n.id) && n.reason.startsWith('both:')), id).toBe(true);
    }
  });

  it('zips both builds for the stores', () => {
    const version = manifest.version as string;
    for (const [zip, dir] of [
      [`paperpeek-chrome-${version}.zip`, DIST],
      [`paperpeek-firefox-${version}.zip`, FIREFOX_DIST],
    ] as const) {
      const entries = unzipSync(readFileSync(join(ROOT, 'artifacts', zip)));
      expect(Object.keys(entries).sort()).toEqual(filesUnder(dir).map((f) => f.slice(dir.length + 1)).sort());
      expect(new TextDecoder().decode(entries['manifest.json'])).toBe(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    }
  });
});

describe('Firefox build', () => {
  it('uses background scripts and a gecko id', () => {
    const manifest = readJson(join(FIREFOX_DIST, 'manifest.json'));
    expect(manifest.background).toEqual({ scripts: ['service-worker-loader.js'], type: 'module' });
    expect((manifest.browser_specific_settings as { gecko: { id: string } }).gecko.id).toBe('paperpeek@paperpeek.dev');
  });

  it('passes web-ext lint with 0 errors', () => {
    const result = spawnSync('npx', ['web-ext', 'lint', '--source-dir', FIREFOX_DIST, '--output', 'json', '--no-config-discovery'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const report = JSON.parse(result.stdout) as {
      summary: { errors: number };
      errors: unknown[];
      warnings: { code: string; file: string; message: string }[];
    };
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
    // Two accepted warnings: Preact's renderer contains the code path for
    // dangerouslySetInnerHTML, which our own lint forbids us to use; and the
    // content script imports the packaged card module by runtime.getURL.
    for (const warning of report.warnings) {
      expect(warning.code).toBe('UNSAFE_VAR_ASSIGNMENT');
      const code = readFileSync(join(FIREFOX_DIST, warning.file), 'utf8');
      if (warning.message.includes('call to import')) {
        expect(warning.file).toBe('src/content/main.iife.js');
        expect(code).toMatch(/import\(\w+\.getURL\(\w+\)\)/);
      } else expect(code).toContain('dangerouslySetInnerHTML');
    }
  });
});

describe('a broken seed', () => {
  const work = mkdtempSync(join(tmpdir(), 'paperpeek-broken-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('fails the build with the parser message naming file and line', () => {
    const seeds = join(work, 'seeds');
    execFileSync('mkdir', ['-p', seeds]);
    writeFileSync(
      join(seeds, 'broken.txt'),
      'Mar 14\n\nA Good Title\n\nA good abstract that explains what the paper does.\n\nA Title Without Abstract\n\nAnother Title\n\nIts abstract, long enough to read as one.\n',
    );
    const out = join(work, 'out');
    const result = spawnSync('npx', ['tsx', 'scripts/build.ts', '--seeds', seeds, '--out', out, '--no-zip'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('broken.txt:7: error: the title "A Title Without Abstract" has no abstract');
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);
  });
});
