"""WhiteNoise as middleware that can run async, and its storage compressing only what changed.

WhiteNoise's own middleware is sync-only; one sync-only middleware makes Django run every
request under ASGI on a single thread per process. This one looks files up the same way and
passes everything else on without leaving the event loop.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.storage import CompressedStaticFilesStorage


class ChangedFilesCompressedStorage(CompressedStaticFilesStorage):
    """WhiteNoise's compressing storage, compressing only the files collected anew. `serve`
    collects at every start; WhiteNoise would compress every file again (10 s of brotli on
    two cores for the vendored Enketo and Janus), though collectstatic copied none."""

    def post_process(
        self, paths: dict[str, Any], dry_run: bool = False, **options: Any
    ) -> Iterator[Any]:
        if dry_run:  # nothing was copied, so there is nothing to look at (nor to compress)
            return super().post_process(paths, dry_run=dry_run, **options)
        changed = {path: found for path, found in paths.items() if not self._compressed(path)}
        return super().post_process(changed, dry_run=dry_run, **options)

    def _compressed(self, path: str) -> bool:
        """Whether a compressed copy of the file as it is now is there already (WhiteNoise
        gives each copy the file's time, as a float: a few hundred nanoseconds may be lost)."""
        full = Path(self.path(path))
        changed = full.stat().st_mtime - 0.001
        return any(
            copy.exists() and copy.stat().st_mtime >= changed
            for copy in (full.with_name(f"{full.name}.br"), full.with_name(f"{full.name}.gz"))
        )


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Any = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(get_response, *args, **kwargs)
        self.async_mode = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest) -> Any:
        if self.async_mode:
            return self.__acall__(request)
        return super().__call__(request)

    async def __acall__(self, request: HttpRequest) -> Any:
        static_file = (
            self.find_file(request.path_info)
            if self.autorefresh
            else self.files.get(request.path_info)
        )
        if static_file is not None:
            return self.serve(static_file, request)
        return await self.get_response(request)
