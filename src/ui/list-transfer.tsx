/**
 * Export the reading list in four formats, or import a JSON file (validated
 * first: a bad file changes nothing and says what is wrong). Used by the
 * popup's reading list and the options page's backup section; the import
 * itself goes through `importPapers`, given by the page.
 */
import { useState } from 'preact/hooks';
import { EXPORT_FILES, exportList, parseImport, type ExportKind } from '../shared/reading-list-io';
import type { Result } from '../shared/result';
import type { SavedPaper } from '../shared/types';

function download(kind: ExportKind, text: string): void {
  const { extension, mime } = EXPORT_FILES[kind];
  const url = URL.createObjectURL(new Blob([text], { type: `${mime};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = `paperpeek-reading-list.${extension}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function ListTransfer({
  papers,
  importPapers,
  onImported,
}: {
  papers: readonly SavedPaper[];
  importPapers(papers: SavedPaper[]): Promise<Result<{ added: number; kept: number }>>;
  /** After a good import, with the message to show. */
  onImported(message: string): void;
}) {
  const [error, setError] = useState('');
  const importFile = async (file: File) => {
    setError('');
    const parsed = parseImport(await file.text());
    if (!parsed.ok) return setError(`Nothing was imported. ${parsed.error}`);
    const reply = await importPapers(parsed.papers);
    if (!reply.ok) return setError(`Nothing was imported. ${reply.error.message}`);
    const { added, kept } = reply.value;
    onImported(`Imported ${added} paper${added === 1 ? '' : 's'}${kept ? `; ${kept} already on the list kept as they were` : ''}.`);
  };
  return (
    <>
      {error ? (
        <p class="error" role="alert" data-testid="import-error">
          {error}
        </p>
      ) : null}
      <div class="io" role="group" aria-label="Export and import">
        <span class="muted small">Export</span>
        {(Object.keys(EXPORT_FILES) as ExportKind[]).map((kind) => (
          <button key={kind} type="button" disabled={papers.length === 0} onClick={() => download(kind, exportList(kind, papers))}>
            {EXPORT_FILES[kind].label}
          </button>
        ))}
        <label class="button">
          Import JSON
          <input
            type="file"
            accept="application/json,.json"
            class="visually-hidden"
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              const file = input.files?.[0];
              input.value = '';
              if (file) void importFile(file);
            }}
          />
        </label>
      </div>
    </>
  );
}
