"""llama-cpp-python's OpenAI-compatible server, started the way nlsh loads a model: weight repacking
decided for this CPU by nlsh's own probe (nlsh/models/repack.py), so the remote path can be tested
on CPUs where llama.cpp's repacked kernels crash.

    python -m tests.servers.llama_serve MODEL.gguf ALIAS PORT CACHE_DIR"""

from __future__ import annotations

import sys
from pathlib import Path


def main() -> None:
    model, alias, port, cache_dir = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    import uvicorn
    from llama_cpp.server.app import create_app
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    from nlsh.models.llama_engine import default_threads, load_params
    from nlsh.models.repack import use_repacking

    threads = default_threads()
    repack = use_repacking(Path(model), f"test-server:{model}", "auto", threads, cache_dir=cache_dir)
    settings = ModelSettings(model=model, model_alias=alias, n_ctx=4096, n_threads=threads,
                             n_threads_batch=threads, verbose=False)
    with load_params(repack=repack, sequences=1):  # the app loads the model as it is created
        app = create_app(server_settings=ServerSettings(host="127.0.0.1", port=port), model_settings=[settings])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


if __name__ == "__main__":
    main()
