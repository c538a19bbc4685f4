import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'test-results', 'coverage', '.scratch', 'reports', '.stryker-tmp'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use the seeded PRNG (src/sim/prng.ts).' },
        { object: 'Date', property: 'now', message: 'Use the virtual clock.' },
      ],
    },
  },
  {
    files: ['src/store/**', 'src/ui/**', 'e2e/**', 'cli/**', 'test/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
  // The layers of README's "How it is built": imports only point down. Type-only imports of a
  // higher layer's shapes are allowed where a checker reads a driver's records.
  ...layers({
    raft: [],
    sim: ['raft'],
    db: [],
    cluster: ['raft', 'sim', 'db'],
    drive: ['raft', 'sim', 'db', 'cluster'],
    check: ['raft', 'sim', 'db', 'cluster', { types: 'drive' }],
    replay: ['raft', 'sim', 'db', 'cluster', 'drive', 'check'],
    store: ['raft', 'sim', 'db', 'cluster', 'drive', 'check', 'replay'],
  }),
);

/** One rule per layer of src/: the folders it may not import from. */
function layers(allowed) {
  const all = ['raft', 'sim', 'db', 'cluster', 'drive', 'check', 'replay', 'store', 'ui'];
  return Object.entries(allowed).map(([layer, may]) => {
    const names = may.map((m) => (typeof m === 'string' ? m : m.types));
    const typesOnly = may.filter((m) => typeof m !== 'string').map((m) => m.types);
    const banned = all.filter((f) => f !== layer && !names.includes(f));
    const patterns = [
      { group: banned.map((f) => `**/${f}/**`), message: `src/${layer} may import only from ${names.join(', ') || 'itself'} (see README, "How it is built").` },
    ];
    if (typesOnly.length > 0) {
      patterns.push({ group: typesOnly.map((f) => `**/${f}/**`), allowTypeImports: true, message: `src/${layer} may import only types from ${typesOnly.join(', ')}.` });
    }
    return { files: [`src/${layer}/**/*.{ts,tsx}`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
  });
}
