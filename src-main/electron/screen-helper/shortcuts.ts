/**
 * The helper's global shortcuts through Electron's globalShortcut. As documented, register()
 * returns false when another program holds the accelerator (the operating systems do not let
 * programs fight over keys) and throws for an accelerator it cannot parse; both are told to the
 * person by name, with the action the key was meant for.
 *
 * Media keys are not registered here: globalShortcut would take them from every music player
 * for as long as the app runs (and on macOS needs the accessibility permission), while the mini
 * player's MediaSession gets them from the system only while it is playing.
 */
import type * as ElectronModule from 'electron';
import { HELPER_ACTIONS, HELPER_ACTION_NAMES } from '../../../src-shared/screen-helper/types';
import type { HelperAction, ShortcutStatus } from '../../../src-shared/screen-helper/types';
import type { ShortcutRegistrar } from '../../services/screen-helper/screen-helper-service';

export type GlobalShortcutLike = Pick<typeof ElectronModule.globalShortcut, 'register' | 'unregister' | 'unregisterAll'>;

export function electronShortcuts(globalShortcut: GlobalShortcutLike): ShortcutRegistrar {
  let registered: string[] = [];
  const unregisterAll = (): void => {
    // Only our own keys: another part of the app may hold shortcuts of its own.
    for (const accelerator of registered) globalShortcut.unregister(accelerator);
    registered = [];
  };
  return {
    unregisterAll,
    register(shortcuts, onPress) {
      unregisterAll();
      const statuses = {} as Record<HelperAction, ShortcutStatus>;
      const owner = new Map<string, HelperAction>();
      for (const action of HELPER_ACTIONS) {
        const accelerator = shortcuts[action];
        statuses[action] = registerOne(action, accelerator, owner, () => onPress(action));
        if (statuses[action].state === 'registered') {
          registered.push(accelerator);
          owner.set(accelerator.toLowerCase(), action);
        }
      }
      return statuses;

      function registerOne(action: HelperAction, accelerator: string, taken: Map<string, HelperAction>, press: () => void): ShortcutStatus {
        if (accelerator === '') return { accelerator, state: 'off' };
        const name = HELPER_ACTION_NAMES[action];
        const ours = taken.get(accelerator.toLowerCase());
        if (ours) return { accelerator, state: 'invalid', message: `${accelerator} is already the shortcut for “${HELPER_ACTION_NAMES[ours]}”; choose another key for “${name}”.` };
        try {
          if (globalShortcut.register(accelerator, press)) return { accelerator, state: 'registered' };
        } catch {
          return { accelerator, state: 'invalid', message: `${accelerator} is not a key combination the app understands, so “${name}” has no shortcut; choose another, such as CommandOrControl+Alt+R.` };
        }
        return { accelerator, state: 'taken', message: `${accelerator} is used by another program, so “${name}” has no shortcut; choose another key, or free it in that program.` };
      }
    },
  };
}
