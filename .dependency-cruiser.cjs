/**
 * kefu's import rules (docs/architecture.md, "Import rules"), checked by `npm run depcruise`, which
 * `npm test` runs before vitest.
 *
 * Imports flow adapters → bot → knowledge / training → prompts (data), never back. Everyone may import
 * the kernel `bot/turn/`, which imports nothing of kefu. knowledge/ and training/ do not import each other.
 * Adapters use only the kernel's channel contract. No circles; nothing from outside the repository.
 */
const KERNEL = '^bot/turn/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A circle makes two files one; move what both need into its own small file.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-outside-repo',
      severity: 'error',
      comment: "A user's clone has only the repository: nothing may be imported from beside it (../shared).",
      from: {},
      to: { path: '^\\.\\./' },
    },
    {
      name: 'kernel-imports-nothing-of-kefu',
      severity: 'error',
      comment: 'bot/turn/ is the shared kernel: every folder may import it, so it imports only itself.',
      from: { path: KERNEL },
      to: { path: '^(bot|adapters|knowledge|training|bench|test|examples)/', pathNot: KERNEL },
    },
    {
      name: 'knowledge-and-training-import-only-the-kernel-of-bot',
      severity: 'error',
      comment: 'knowledge/ and training/ are below bot/: of bot/ they may import only the kernel bot/turn/.',
      from: { path: '^(knowledge|training)/' },
      to: { path: '^bot/', pathNot: KERNEL },
    },
    {
      name: 'knowledge-not-to-training',
      severity: 'error',
      comment: 'knowledge/ takes its embedder passed in; it never imports training/.',
      from: { path: '^knowledge/' },
      to: { path: '^training/' },
    },
    {
      name: 'training-not-to-knowledge',
      severity: 'error',
      from: { path: '^training/' },
      to: { path: '^knowledge/' },
    },
    {
      name: 'nothing-below-adapters-imports-them',
      severity: 'error',
      comment:
        'Imports flow adapters → bot. Only the CLI, which wires the process, may import the list of channels (adapters/index.ts).',
      from: { path: '^(bot|knowledge|training)/', pathNot: '^bot/cli/' },
      to: { path: '^adapters/' },
    },
    {
      name: 'the-cli-imports-only-the-list-of-channels',
      severity: 'error',
      comment: 'The CLI hands adapters/index.ts (the list of channels) to the bot; a channel\'s insides are its own.',
      from: { path: '^bot/cli/' },
      to: { path: '^adapters/', pathNot: '^adapters/index\\.ts$' },
    },
    {
      name: 'adapters-use-only-the-channel-contract',
      severity: 'error',
      comment: "Adapters use the kernel's channel contract (bot/turn/), never the store, inbox or pipeline insides.",
      from: { path: '^adapters/' },
      to: { path: '^bot/', pathNot: KERNEL },
    },
    {
      name: 'product-code-not-to-tests-or-benches',
      severity: 'error',
      from: { path: '^(bot|adapters|knowledge|training)/' },
      to: { path: '^(test|bench|examples)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // a worktree whose node_modules is a link to another checkout's still resolves packages inside itself
    preserveSymlinks: true,
    exclude: { path: '^(node_modules|data|web)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
