# Shortcuts for the README's two commands (which need only python3).
.PHONY: demo test ci bench
demo:
	python3 dev.py demo
test:
	python3 dev.py test
ci:
	bash .ci/run
bench:
	.venv/bin/python -m benchmarks all
