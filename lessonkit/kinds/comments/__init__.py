"""The comments activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="comments",
    # the content model and the starter YAML
    model=".model:Comments",
    starter="starter.yaml",

    # the learner's page and the class boards
    page=".view:comments_page",
    boards=".view:comments_boards",
    prebuilt=False,
    answer=".example:answer",
)
