import { describe, expect, it } from 'vitest';
import { Problem } from '../shared/problem.js';
import { assertTierIncludes } from './service.js';
import { statusAfterMessage } from './status.js';

describe('statusAfterMessage', () => {
  it.each([
    ['new', true, true, 'open'],
    ['open', true, true, undefined],
    ['waiting_on_customer', true, true, undefined],
    ['new', true, false, undefined],
    ['waiting_on_customer', false, true, 'open'],
    ['resolved', false, true, 'open'],
    ['new', false, true, undefined],
    ['open', false, true, undefined],
  ] as const)('%s + reply (staff %s, public %s) -> %s', (status, byStaff, isPublic, expected) => {
    expect(statusAfterMessage(status, byStaff, isPublic)).toBe(expected);
  });
});

describe('assertTierIncludes', () => {
  it('lets every tier ask questions and report problems', () => {
    for (const tier of ['basic', 'essential', 'premium', 'enterprise'] as const) {
      expect(() => assertTierIncludes(tier, 'question')).not.toThrow();
      expect(() => assertTierIncludes(tier, 'problem')).not.toThrow();
    }
  });

  it('keeps data import, procedure digitization and best practice for essential and above', () => {
    for (const type of ['data_import', 'procedure_digitization', 'best_practice'] as const) {
      let refusal: unknown;
      try {
        assertTierIncludes('basic', type);
      } catch (error) {
        refusal = error;
      }
      expect(refusal).toBeInstanceOf(Problem);
      expect((refusal as Problem).extensions).toEqual({
        requestType: type,
        tier: 'basic',
        requiredTier: 'essential',
      });
      expect(() => assertTierIncludes('essential', type)).not.toThrow();
      expect(() => assertTierIncludes('enterprise', type)).not.toThrow();
    }
  });
});
