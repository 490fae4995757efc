function zmqtest_run(name)
% Test runner: runs the script or function name, prints PASS or FAIL and exits Octave with
% status 0 or 1, so that the Python driver can judge the run.
status = 1;
try
  feval(name);
  fprintf('PASS %s\n', name);
  status = 0;
catch err
  fprintf('FAIL %s: %s (%s)\n', name, err.message, err.identifier);
  for k = 1:numel(err.stack)
    fprintf('  at %s line %d\n', err.stack(k).name, err.stack(k).line);
  end
end
fflush(stdout);
exit(status);
end
