// Lint: typed TypeScript rules plus the module boundaries of DESIGN.md §2, so the
// architecture holds without anyone having to remember it.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

/** Each zone: files in `target` may not import from `from` (except the `except` paths, relative to `from`). */
const boundaries = [
  // shared/ is pure: no other src/ folder, no browser API.
  { target: './src/shared', from: './src', except: ['./shared'], message: 'src/shared imports nothing else in src/.' },
  { target: './src/platform', from: './src', except: ['./shared', './platform'], message: 'src/platform may import only src/shared.' },
  { target: './src/background', from: './src', except: ['./shared', './platform', './background'], message: 'src/background may import src/shared and src/platform.' },
  { target: './src/content', from: './src', except: ['./shared', './platform', './ui', './content'], message: 'src/content may import src/shared, src/platform and src/ui.' },
  { target: './src/ui', from: './src', except: ['./shared', './ui'], message: 'src/ui gets data through props: it may import only src/shared.' },
  { target: './src/popup', from: './src', except: ['./shared', './platform', './ui', './popup'], message: 'src/popup may import src/shared, src/platform and src/ui.' },
  { target: './src/options', from: './src', except: ['./shared', './platform', './ui', './options'], message: 'src/options may import src/shared, src/platform and src/ui.' },
  { target: './src/paper', from: './src', except: ['./shared', './platform', './ui', './paper'], message: 'src/paper may import src/shared, src/platform and src/ui.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist-firefox/**', 'artifacts/**', 'node_modules/**', '.tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.tsx', '.js'] } } },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='innerHTML']", message: 'Render text as text: never innerHTML.' },
        { selector: "MemberExpression[property.name='outerHTML']", message: 'Render text as text: never outerHTML.' },
        { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'Render text as text.' },
        { selector: "CallExpression[callee.name='eval']", message: 'No eval.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No new Function.' },
      ],
    },
  },
  {
    // Tests build fixture pages from markup on purpose; text-as-text is a rule for product code.
    files: ['tests/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'No eval.' },
        { selector: "NewExpression[callee.name='Function']", message: 'No new Function.' },
      ],
    },
  },
  {
    // Only the platform seam touches the polyfill.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/platform/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'webextension-polyfill', message: 'Use src/platform/extension-api.ts.' }] }] },
  },
  {
    // shared/ runs in Node, workers and pages alike: no DOM or extension globals.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', 'document', 'window', 'chrome', 'browser', 'navigator', 'localStorage'],
      'no-restricted-imports': ['error', { patterns: ['webextension-polyfill', 'dexie', 'preact', 'preact/*'] }],
    },
  },
);
