/**
 * The layering of edlearn (the "never" list of its architecture note), checked by `npm run lint:deps`.
 * Type-only imports are exempt where a rule says so: they vanish at run time and carry no behaviour.
 * Known exceptions are listed by path with the reason; remove an entry when its module is fixed.
 * "Nothing but the builder constructs a rule" is about `new`, not imports: test/house-rules.test.ts checks it.
 */
/** Kernels are maths on buffers: they import only each other and the error type. */
const KERNEL_DEPS = '^src/(kernels/|errors\\.ts$)';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'An import cycle: the folders no longer read from the bottom up.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'kernels-import-nothing-above',
      severity: 'error',
      comment: 'Kernels are maths on flat buffers: they never import rules, data, train, the engine or the CLI.',
      from: { path: '^src/kernels/' },
      to: { path: '^src/', pathNot: KERNEL_DEPS },
    },
    {
      name: 'rules-stay-maths',
      severity: 'error',
      comment: 'A rule is given arrays and returns numbers: it never imports the engine, train, the CLI or data.',
      from: { path: '^src/rules/' },
      to: { path: '^src/(engine|train|cli|data)/' },
    },
    {
      name: 'data-knows-no-networks',
      severity: 'error',
      comment: 'Data yields splits; it knows nothing of rules, the engine, kernels or training.',
      from: { path: '^src/data/' },
      to: { path: '^src/(rules|engine|kernels|train|rl|model)/' },
    },
    {
      name: 'report-reads-logs-only',
      severity: 'error',
      comment:
        'The report renders logs; it never trains, runs rules or kernels. Types of log records and the config ' +
        'resolvers (to name what a logged config changed from the defaults) and the RL tuning grid with its choice ' +
        'rule (pure data) are not training.',
      from: { path: '^src/report/' },
      to: {
        path: '^src/(train|rules|engine|kernels|rl|data|sweep)/',
        pathNot: '^src/((train|rl)/config|rl/tune-grid)\\.ts$',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'no-calls-up',
      severity: 'error',
      comment: 'A lower folder never imports from the ones above it (a format owned by its reader, a callback up).',
      from: { path: '^src/(kernels|options|data|log|model|rules|engine)/' },
      to: { path: '^src/(report|cli|sweep|experiments|api|bench)/' },
    },
    {
      name: 'cli-on-top',
      severity: 'error',
      comment: 'Only the CLI imports the CLI.',
      from: { path: '^src/', pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'web-and-bench-use-the-public-api',
      severity: 'error',
      comment: 'The lab and the benchmarks import edlearn as a user would: src/index.ts or src/browser.ts.',
      // Known exception: bench/readme.ts writes the README's speed tables from the results files; a tool that
      // shares the CLI's readers, not a benchmark.
      from: { path: '^(web/src|bench)/', pathNot: '^bench/readme\\.ts$' },
      to: { path: '^src/', pathNot: '^src/(index|browser)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|build|web-dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
