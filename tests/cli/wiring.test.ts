// The light command wiring repeats a few lists of the core it must not import at start-up: they stay equal.
import { describe, expect, it } from 'vitest';
import { SORTS } from '../../src/core/inbox.js';
import { SORT_CHOICES } from '../../src/cli/commands/inbox.js';

describe('command wiring', () => {
  it("offers exactly the core's sort orders for --sort", () => {
    expect([...SORT_CHOICES]).toEqual([...SORTS]);
  });
});
