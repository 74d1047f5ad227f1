"""What runs only in the serving process of `lessonkit serve`, never in a learner's kernel.

- launch.py: `lessonkit serve` itself: the two Voilas it starts, their command lines and voila.json;
- app.py: the Voila that serves the lesson (kernel pool, culling that counts only what learners do,
  kernel limits, compressed and cached scripts, and the routes below);
- sessions.py: joining, the learner's session cookie, who owns which kernel, the "class is full" page;
- service.py: the store service learners' kernels and this server reach the class store through.

A learner's kernel imports none of this (tests/unit/test_kernel_budget.py checks).
"""
