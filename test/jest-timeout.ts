// Project-level `testTimeout` does not reach hooks in a multi-project jest config, so every suite
// starts from this default; specs that need longer (the full reliability programme) raise it.
jest.setTimeout(120_000);
