import { FormField } from '../common';

/** Name and first update in English and, optionally, French: the public page speaks both. */
export function BilingualText({
  value,
  onChange,
  errors,
  labels,
  multiline,
}: {
  value: { en: string; fr: string };
  onChange: (next: { en: string; fr: string }) => void;
  errors: { en?: string | undefined; fr?: string | undefined };
  labels: { en: string; fr: string };
  multiline?: boolean;
}) {
  return (
    <>
      <FormField label={labels.en} error={errors.en}>
        {(p) =>
          multiline ? (
            <textarea
              {...p}
              required
              rows={4}
              value={value.en}
              onChange={(e) => onChange({ ...value, en: e.target.value })}
            />
          ) : (
            <input
              {...p}
              required
              maxLength={200}
              value={value.en}
              onChange={(e) => onChange({ ...value, en: e.target.value })}
            />
          )
        }
      </FormField>
      <FormField label={labels.fr} error={errors.fr}>
        {(p) =>
          multiline ? (
            <textarea
              {...p}
              lang="fr"
              rows={4}
              value={value.fr}
              onChange={(e) => onChange({ ...value, fr: e.target.value })}
            />
          ) : (
            <input
              {...p}
              lang="fr"
              maxLength={200}
              value={value.fr}
              onChange={(e) => onChange({ ...value, fr: e.target.value })}
            />
          )
        }
      </FormField>
    </>
  );
}
