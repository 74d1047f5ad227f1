"""The quiz activity kind."""

from lessonkit.kinds import Kind

KIND = Kind(
    name="quiz",
    # the content model and the starter YAML
    model="lessonkit.content:Quiz",
    starter="starter.yaml",

    # the learner's page and the class boards
    page="lessonkit.components.quiz:quiz_page",
    boards="lessonkit.components.quiz:quiz_boards",
    prebuilt=True,
)
