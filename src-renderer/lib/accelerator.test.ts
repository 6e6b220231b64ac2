import { describe, expect, it } from 'vitest';
import { acceleratorOf, acceleratorProblem } from './accelerator';

const press = (code: string, mods: { ctrlKey?: boolean; altKey?: boolean; shiftKey?: boolean; metaKey?: boolean } = {}) => ({ code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });

describe('accelerators in the helper settings', () => {
  it('takes what Electron takes, and none', () => {
    for (const ok of ['', 'CommandOrControl+Alt+R', 'ctrl+shift+space', 'Super+F5', 'F9', 'MediaPlayPause', 'Alt+Plus', 'Ctrl+num5', 'Ctrl+/']) expect(acceleratorProblem(ok), ok).toBeUndefined();
  });

  it('names what is wrong with the rest', () => {
    expect(acceleratorProblem('R')).toBe('“R” needs Ctrl, Alt, Shift or Super with it, or it would take the key from every program.');
    expect(acceleratorProblem('Ctl+R')).toBe('“Ctl” is not a key name: use Ctrl, Alt, Shift, Super or CommandOrControl.');
    expect(acceleratorProblem('Ctrl+Ctrl+R')).toBe('“Ctrl+Ctrl+R” names Ctrl twice.');
    expect(acceleratorProblem('Ctrl+A+B')).toBe('“Ctrl+A+B” has more than one key besides Ctrl, Alt, Shift or Super.');
    expect(acceleratorProblem('Ctrl++')).toContain('write + as Plus');
    expect(acceleratorProblem('Alt+Enterr')).toContain('“Enterr” is not a key name');
  });

  it('records a key press, waiting while only modifiers are held', () => {
    expect(acceleratorOf(press('KeyR', { ctrlKey: true, altKey: true }))).toBe('Ctrl+Alt+R');
    expect(acceleratorOf(press('Digit3', { shiftKey: true, metaKey: true }))).toBe('Shift+Super+3');
    expect(acceleratorOf(press('Numpad7', { ctrlKey: true }))).toBe('Ctrl+num7');
    expect(acceleratorOf(press('ArrowUp', { altKey: true }))).toBe('Alt+Up');
    expect(acceleratorOf(press('F12'))).toBe('F12');
    expect(acceleratorOf(press('ControlLeft', { ctrlKey: true }))).toBeUndefined();
  });
});
