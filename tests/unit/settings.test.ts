/** Reader settings: what is accepted, what falls back to the defaults, and who may change them. */
import { describe, expect, it } from 'vitest';
import { METHOD_POLICIES } from '../../src/shared/protocol';
import { DEFAULT_SETTINGS, MAX_HOVER_DELAY_MS, isActiveOn, isSettings, settingsFrom } from '../../src/shared/settings';

const valid = { ...DEFAULT_SETTINGS, disabledSites: ['arxiv.org', '127.0.0.1'] };

describe('settings', () => {
  it('accepts whole-millisecond delays within bounds, booleans and host names, nothing else', () => {
    expect(isSettings(valid)).toBe(true);
    expect(isSettings({ ...valid, hoverDelayMs: MAX_HOVER_DELAY_MS })).toBe(true);
    for (const bad of [
      { ...valid, hoverDelayMs: -1 },
      { ...valid, hoverDelayMs: 1.5 },
      { ...valid, hoverDelayMs: MAX_HOVER_DELAY_MS + 1 },
      { ...valid, paused: 'yes' },
      { ...valid, disabledSites: ['https://arxiv.org/'] },
      { ...valid, disabledSites: ['ArXiv.org'] },
      { ...valid, extra: 1 },
      { ...valid, markWhere: 'headings' },
      { ...valid, markStyle: 'blink' },
      { hoverDelayMs: 150 },
      null,
    ]) {
      expect(isSettings(bad)).toBe(false);
    }
  });

  it('keeps what an older version stored and fills in the rest', () => {
    expect(settingsFrom(undefined)).toEqual(DEFAULT_SETTINGS);
    expect(settingsFrom({ hoverDelayMs: 400 })).toEqual({ ...DEFAULT_SETTINGS, hoverDelayMs: 400 });
    expect(settingsFrom({ hoverDelayMs: 'slow', paused: true, disabledSites: ['<script>'], markStyle: 'highlight' })).toEqual({
      ...DEFAULT_SETTINGS,
      paused: true,
      markStyle: 'highlight',
    });
  });

  it('runs unless paused or off on the site', () => {
    expect(isActiveOn(valid, 'example.org')).toBe(true);
    expect(isActiveOn(valid, 'arxiv.org')).toBe(false);
    expect(isActiveOn({ ...valid, paused: true }, 'example.org')).toBe(false);
  });

  it('lets pages read settings but only extension pages change them', () => {
    expect(METHOD_POLICIES.getSettings.allowedSenders).toContain('content-script');
    expect(METHOD_POLICIES.setSettings.allowedSenders).toEqual(['extension-page']);
  });
});
