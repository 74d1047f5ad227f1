"""The comments activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="comments",
    # the content model and the starter YAML
    model="lessonkit.content:Comments",
    starter="starter.yaml",

    # the learner's page and the class boards
    page="lessonkit.components.comments:comments_page",
    boards="lessonkit.components.comments:comments_boards",
    prebuilt=False,
)
