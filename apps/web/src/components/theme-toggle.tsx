'use client';

import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const LABEL: Record<Theme, string> = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

/** Cycles the colour theme: follow the system, light, dark. */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>('system');
  useEffect(() => {
    const stored = localStorage.getItem('helix-theme');
    if (stored === 'light' || stored === 'dark') setTheme(stored);
  }, []);
  const choose = () => {
    const next = NEXT[theme];
    setTheme(next);
    if (next === 'system') {
      localStorage.removeItem('helix-theme');
      delete document.documentElement.dataset.theme;
    } else {
      localStorage.setItem('helix-theme', next);
      document.documentElement.dataset.theme = next;
    }
  };
  return (
    <button type="button" className="button button-ghost" onClick={choose} title="Change the colour theme">
      {LABEL[theme]}
    </button>
  );
}
