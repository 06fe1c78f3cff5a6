/** Reader settings: what is accepted, what falls back to the defaults, and who may change them. */
import { describe, expect, it } from 'vitest';
import { METHOD_POLICIES } from '../../src/shared/protocol';
import { DEFAULT_SETTINGS, MAX_HOVER_DELAY_MS, isSettings, settingsFrom } from '../../src/shared/settings';

describe('settings', () => {
  it('accepts whole-millisecond delays within bounds and nothing else', () => {
    expect(isSettings({ hoverDelayMs: 0 })).toBe(true);
    expect(isSettings({ hoverDelayMs: MAX_HOVER_DELAY_MS })).toBe(true);
    for (const bad of [{ hoverDelayMs: -1 }, { hoverDelayMs: 1.5 }, { hoverDelayMs: MAX_HOVER_DELAY_MS + 1 }, { hoverDelayMs: '200' }, {}, { hoverDelayMs: 100, extra: 1 }, null]) {
      expect(isSettings(bad)).toBe(false);
    }
  });

  it('falls back to the defaults for anything malformed in storage', () => {
    expect(settingsFrom(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(settingsFrom({ hoverDelayMs: 'slow' })).toEqual(DEFAULT_SETTINGS);
    expect(settingsFrom({ hoverDelayMs: 400 })).toEqual({ hoverDelayMs: 400 });
  });

  it('lets pages read settings but only extension pages change them', () => {
    expect(METHOD_POLICIES.getSettings.allowedSenders).toContain('content-script');
    expect(METHOD_POLICIES.setSettings.allowedSenders).toEqual(['extension-page']);
  });
});
