/**
 * The rules a user picked with Select Rules, remembered per workspace. No selection means every
 * loaded rule. The selection limits hunts; it never changes what the rule store loads.
 */
import * as vscode from 'vscode';
import { LoadedRules } from '../engine';

const STATE_KEY = 'logHunt.selectedRules';

export class SelectedRules implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** One derived set per loaded set, so repeated hunts reuse the engine's cached rule index. */
  private derived = new WeakMap<LoadedRules, { key: string; rules: LoadedRules }>();

  constructor(private readonly state: vscode.Memento) {}

  /** The selected rule ids, or undefined when every rule runs. */
  get ids(): readonly string[] | undefined {
    const ids = this.state.get<unknown>(STATE_KEY);
    return Array.isArray(ids) && ids.length > 0 && ids.every((id) => typeof id === 'string') ? ids : undefined;
  }

  /** Selects these rules; none (or an empty list) clears the selection. */
  async set(ids: readonly string[] | undefined): Promise<void> {
    const unique = [...new Set(ids ?? [])];
    await this.state.update(STATE_KEY, unique.length > 0 ? unique : undefined);
    this.changed.fire();
  }

  /**
   * The loaded rules limited to the selection, with the ids in `selection` too, so that the
   * parallel hunt's worker threads compile the same subset. `unknownIds`: selected rules that no
   * longer load (a file removed, a level raised).
   */
  apply(loaded: LoadedRules): LoadedRules {
    const ids = this.ids;
    if (!ids) return loaded;
    const key = ids.join('\n');
    const cached = this.derived.get(loaded);
    if (cached?.key === key) return cached.rules;
    const wanted = new Set(ids.map((id) => id.toLowerCase()));
    const rules = loaded.rules.filter((r) => wanted.has(r.info.id.toLowerCase()));
    const found = new Set(rules.map((r) => r.info.id.toLowerCase()));
    const limited: LoadedRules = {
      ...loaded,
      rules,
      selection: { ...loaded.selection, ids: [...ids] },
      unknownIds: ids.filter((id) => !found.has(id.toLowerCase())),
    };
    this.derived.set(loaded, { key, rules: limited });
    return limited;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
