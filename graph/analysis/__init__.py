"""Network analysis of the graph (``palermo analyse``).

Read once (:mod:`graph.analysis.corpus`), project into networkx graphs
(:mod:`~graph.analysis.projections`), measure (:mod:`~graph.analysis.measures`),
draw (:mod:`~graph.analysis.figures`), write the networks for Gephi
(:mod:`~graph.analysis.graphml`) and the report (:mod:`~graph.analysis.report`);
:mod:`~graph.analysis.analyse` ties them together into the files of one report folder.
"""
