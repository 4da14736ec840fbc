"""Policy files: discovery, loading with line marks, `extends`, merging, schema and semantic checks."""
