import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

/** The tables only the ticket ledger writes, as an esquery pattern on a table name (with an alias). */
const LEDGER_TABLES = '/^(tickets|ticket_messages|ticket_events|ticket_tags|attachments)( as \\w+)?$/';
/** The same tables in hand-written SQL. */
const LEDGER_SQL =
  '/(insert\\s+into|update|delete\\s+from)\\s+"?(tickets|ticket_messages|ticket_events|ticket_tags|attachments)\\b/i';
const LEDGER_MESSAGE =
  'Tickets, messages, events, tags and attachments are written only by the ticket ledger (src/tickets/ledger.ts): call it, or register a hook on it.';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'data/', 'coverage/', 'bin/', 'web/public/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    // Tests read JSON responses, which are untyped by nature; their assertions do the checking.
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // One writer per fact: tickets, their messages, events and attachment rows are written only by
    // the ticket ledger's repository (src/tickets/ledger-repository.ts); everyone else calls the
    // ledger or registers a hook on it. test/architecture.test.ts shows this rule catching a writer.
    files: ['src/**/*.ts'],
    ignores: ['src/tickets/ledger-repository.ts', 'src/db/migrations/**', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: `CallExpression[callee.property.name=/^(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/][arguments.0.value=${LEDGER_TABLES}]`,
          message: LEDGER_MESSAGE,
        },
        {
          selector: `TemplateElement[value.raw=${LEDGER_SQL}]`,
          message: LEDGER_MESSAGE,
        },
        {
          selector: `Literal[value=${LEDGER_SQL}]`,
          message: LEDGER_MESSAGE,
        },
      ],
    },
  },
  {
    // The SLA engine computes; it writes only its own effect log. The deadline columns it computes
    // are stored through the ledger's SlaColumnsStore, and its effects reach other contexts by hooks.
    files: ['src/sla/**/*.ts'],
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name=/^(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)$/]:not([arguments.0.value='sla_events'])",
          message:
            'src/sla writes only sla_events; other contexts hear of SLA effects through SlaService.onEffect.',
        },
      ],
    },
  },
  { files: ['eslint.config.js'], ...tseslint.configs.disableTypeChecked },
);
