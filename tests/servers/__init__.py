"""Real HTTP servers for the tests: a scriptable OpenAI-compatible stub, and llama.cpp's own server."""
