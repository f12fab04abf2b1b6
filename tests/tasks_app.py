"""A task and a view that enqueues it, for the task queue's own tests
(tests/test_tasks.py): the worker imports the task by its path, as it does the
portal's."""

import os

from django.http import JsonResponse
from django.urls import path

from portal.tasks import background_task


@background_task
def where_am_i(marker: str) -> dict:
    return {"marker": marker, "pid": os.getpid()}


def enqueue(request):
    result = where_am_i.enqueue(request.GET["marker"])
    return JsonResponse({"id": result.id})


urlpatterns = [path("enqueue/", enqueue)]
