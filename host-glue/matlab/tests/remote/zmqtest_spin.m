function r = zmqtest_spin()
% Remote-call test function: loops until interrupted (at most 60 s).
r = 0;
started = tic;
while toc(started) < 60
  r = r + 1;
end
end
