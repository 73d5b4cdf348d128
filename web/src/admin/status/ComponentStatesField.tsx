import { useTranslation } from 'react-i18next';
import { COMPONENT_STATES, type ComponentState, type StatusComponent } from '../../api/status';
import { FormField } from '../common';
import { groupComponents } from './queries';

export type ComponentStates = Record<string, ComponentState>;

/** The states chosen as the API takes them: only the components said to be affected. */
export const affected = (states: ComponentStates) =>
  Object.entries(states).map(([id, state]) => ({ id, state }));

/**
 * Which components an incident touches and how, one select per component ("not affected" leaves it
 * out), grouped as the public page groups them.
 */
export function ComponentStatesField({
  components,
  value,
  onChange,
  legend,
  error,
}: {
  components: StatusComponent[];
  value: ComponentStates;
  onChange: (next: ComponentStates) => void;
  legend: string;
  error?: string | undefined;
}) {
  const { t } = useTranslation('admin');
  const { t: tc } = useTranslation();
  const set = (id: string, state: ComponentState | '') => {
    const next = { ...value };
    if (state) next[id] = state;
    else delete next[id];
    onChange(next);
  };
  return (
    <fieldset className="status-components-field">
      <legend>{legend}</legend>
      {components.length === 0 && <p className="muted">{t('status.components.none')}</p>}
      {groupComponents(components).map(([group, members]) => (
        <div key={group ?? ''} className="inline-fields">
          {group && <p className="status-group-name">{group}</p>}
          {members.map((c) => (
            <FormField key={c.id} label={c.name}>
              {(p) => (
                <select
                  {...p}
                  value={value[c.id] ?? ''}
                  onChange={(e) => set(c.id, e.target.value as ComponentState | '')}
                >
                  <option value="">{t('status.components.notAffected')}</option>
                  {COMPONENT_STATES.map((s) => (
                    <option key={s} value={s}>
                      {tc(`statusPage.componentState.${s}`)}
                    </option>
                  ))}
                </select>
              )}
            </FormField>
          ))}
        </div>
      ))}
      {error && <p className="field-error">{error}</p>}
    </fieldset>
  );
}
